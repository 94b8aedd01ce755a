/** The one walker of error chains: through `cause`, and through an AggregateError's `errors`. */

const MAX_CAUSES = 10;

type ErrorLike = { message: string; name?: unknown; code?: unknown; cause?: unknown; errors?: unknown };

// Duck-typed, not `instanceof Error`: errors may come from another realm (a vm context, a worker), and undici's
// connect failures can be AggregateErrors without a message.
function isErrorLike(item: unknown): item is ErrorLike {
  return (
    typeof item === 'object' && item !== null && typeof (item as { message?: unknown }).message === 'string'
  );
}

/**
 * The error, then everything it was caused by: each `cause`, and each of an AggregateError's `errors` (one per
 * address tried by a happy-eyeballs connect), depth first. Bounded, and a cycle cannot loop.
 */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && chain.length < MAX_CAUSES) {
    const item = pending.shift();
    if (item === undefined || item === null || chain.includes(item)) continue;
    chain.push(item);
    if (typeof item !== 'object') continue;
    const { cause, errors } = item as { cause?: unknown; errors?: unknown };
    pending.unshift(cause, ...(Array.isArray(errors) ? (errors as unknown[]) : []));
  }
  return chain;
}

/** The first error along the chain for which `test` holds. */
export function findCause<T>(error: unknown, test: (item: unknown) => item is T): T | undefined {
  return causeChain(error).find(test);
}

/** The error's own message; an AggregateError with none speaks through its attempts. */
function ownMessage(item: unknown): string {
  if (!isErrorLike(item)) return String(item);
  if (item.message.trim() === '' && Array.isArray(item.errors) && item.errors.length > 0) {
    return item.errors.map(ownMessage).join('; ');
  }
  return item.message.replace(/\s+/g, ' ').trim() || String(item.name ?? 'Error');
}

/** A one-line description of an error, with its code when the message lacks it. */
export function describeCause(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const text = ownMessage(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
}

/** The error's message followed by each cause's, skipping any a message already quotes. */
export function messageWithCauses(error: unknown): string {
  const parts: string[] = [];
  for (const item of causeChain(error)) {
    const text = ownMessage(item);
    if (text !== '' && !parts.some((part) => part.includes(text))) parts.push(text);
  }
  return parts.join(': ') || 'unknown error';
}

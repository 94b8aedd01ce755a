import { redactCredentials } from '../common/redact.js';
import { ReportedError } from '../common/reported-error.js';

/** A failure as the run reports it: an annotation title and a message (causes and hints included, no stack). */
export interface ErrorDescription {
  title: string;
  message: string;
}

const MAX_CAUSES = 10;
/**
 * Describes a failure for the user: the outermost title, every message in the cause chain, every hint; credentials
 * quoted from inputs or realms are redacted.
 */
export function describeError(error: unknown): ErrorDescription {
  const chain = causeChain(error);
  // The outermost error that knows its title names the failure; every error in the chain may add hints.
  const reported = chain.filter((item): item is ReportedError => item instanceof ReportedError);
  const hints = reported.flatMap((item) => item.hints());
  const message = [messageWithCauses(error), ...new Set(hints)].join('\n');
  return { title: reported[0]?.title ?? 'Publish failed', message: redactCredentials(message) };
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

/** The error, its cause, the cause's cause…; bounded, so a cause cycle cannot loop. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let item = error; item !== undefined && chain.length < MAX_CAUSES && !chain.includes(item);) {
    chain.push(item);
    item = isErrorLike(item) ? item.cause : undefined;
  }
  return chain;
}

function ownMessage(item: unknown): string {
  if (!isErrorLike(item)) return String(item);
  // Node's connection errors are AggregateErrors with an empty message: the attempts hold the story.
  if (item.message === '' && Array.isArray(item.errors)) {
    return item.errors.map((inner) => ownMessage(inner)).join('; ');
  }
  return item.message || String(item.name ?? 'Error');
}

type ErrorLike = { message: string; name?: unknown; cause?: unknown; errors?: unknown };

// Duck-typed, not `instanceof Error`: errors may come from another realm (a vm context, a worker).
function isErrorLike(item: unknown): item is ErrorLike {
  return (
    typeof item === 'object' && item !== null && typeof (item as { message?: unknown }).message === 'string'
  );
}

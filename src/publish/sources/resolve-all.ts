import type { Child } from '../child.js';
import { CheckFailedError } from '../publish-errors.js';
import type { SourceSpec } from '../request.js';
import type { RunRecord } from '../run-record.js';
import { provenOf } from './proven.js';
import { resolveSource, type ResolveContext, type ResolvedSource } from './resolve-source.js';

/**
 * Resolves every source, each read to the end even when another fails, so the record of a failed run holds every
 * image that was read and proven, the one that failed a check marked; then throws the first failure.
 */
export async function resolveAll(
  sources: SourceSpec[],
  context: ResolveContext,
  record: RunRecord,
  /** Hears each source's children as soon as that source is resolved, while the others are still being read. */
  onResolved: (children: Child[]) => void = () => undefined,
): Promise<ResolvedSource[]> {
  const settled = await Promise.allSettled(
    sources.map(async (source) => {
      const resolved = await resolveSource(source, context);
      onResolved(resolved.children);
      return resolved;
    }),
  );
  const { proven, rejected } = provenOf(settled, (resolved) => resolved.children);
  const error: unknown = rejected?.reason;
  record.read(proven, error instanceof CheckFailedError ? error.failed : undefined);
  if (rejected !== undefined) throw error;
  return settled.map((result) => (result as PromiseFulfilledResult<ResolvedSource>).value);
}

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
): Promise<ResolvedSource[]> {
  const settled = await Promise.allSettled(sources.map((source) => resolveSource(source, context)));
  const { proven, rejected } = provenOf(settled, (resolved) => resolved.children);
  const error: unknown = rejected?.reason;
  record.read(proven, error instanceof CheckFailedError ? error.failed : undefined);
  if (rejected !== undefined) throw error;
  return settled.map((result) => (result as PromiseFulfilledResult<ResolvedSource>).value);
}

import type { Child } from '../child.js';
import { CheckFailedError } from '../publish-errors.js';

/** What settled resolutions proved, in order (a failed check carries what it proved), and the first rejection. */
export function provenOf<T>(
  settled: PromiseSettledResult<T>[],
  childrenOf: (value: T) => Child[],
): { proven: Child[]; rejected: PromiseRejectedResult | undefined } {
  const proven = settled.flatMap((result) => {
    if (result.status === 'fulfilled') return childrenOf(result.value);
    return result.reason instanceof CheckFailedError ? result.reason.proven : [];
  });
  const rejected = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  return { proven, rejected };
}

import { InputError } from '../input-error.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h))+$/;
const PART = /(\d+)(ms|s|m|h)/g;
/** GitHub ends a job after 6 hours (72 on self-hosted runners): longer bounds nothing. */
const MAX_MS = 72 * 3_600_000;

/**
 * A duration as Go and most CI tools write it (`90s`, `10m`, `1h`, `1m30s`, `500ms`), in milliseconds; empty
 * means `fallbackMs`. A bare number is refused rather than guessed at (seconds? minutes?).
 */
export function parseDuration(input: string, text: string, fallbackMs: number): number {
  if (text === '') return fallbackMs;
  const compact = text.replace(/\s+/g, '').toLowerCase();
  const fail = (problem: string): never => {
    throw new InputError(input, `invalid ${input} "${text}": ${problem}`);
  };
  if (!DURATION.test(compact)) {
    return fail('expected a duration such as 90s, 10m, 1h or 1m30s (units ms, s, m, h)');
  }
  let total = 0;
  for (const [, count, unit] of compact.matchAll(PART)) total += Number(count) * (UNIT_MS[unit ?? ''] ?? 0);
  if (total <= 0) return fail('it must be longer than zero');
  if (total > MAX_MS) return fail('it must be at most 72h');
  return total;
}

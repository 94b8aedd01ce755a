// Shared by the property suites: a fixed seed (CI reruns the same cases; change it locally to explore) and a
// bounded number of runs, so each suite finishes in seconds.
import type { Parameters } from 'fast-check';

export const PROPERTY_SEED = 20_261_129;

export function propertyParameters<T>(numRuns: number): Parameters<T> {
  return { seed: PROPERTY_SEED, numRuns, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false };
}

/** Text shaped like what reaches our parsers: hostile fragments mixed with arbitrary characters. */
export const HOSTILE_FRAGMENTS = [
  '\n::error title=x::forged',
  '\r\n::add-mask::x',
  '::set-output name=x::y',
  '%0A::warning::x',
  '@',
  ':',
  '/',
  '=',
  ',',
  '#',
  'sha256:',
  `sha256:${'a'.repeat(64)}`,
  'user:SECRET@',
  'linux/amd64',
  '{os}',
  'oci-layout:',
  'digests:',
  '\u0000',
  '\u202e',
  '[',
  ']',
  '"',
  '<img src=x>',
];

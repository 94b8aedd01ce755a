import { samePlatform, type Platform } from '../oci/platform.js';

/**
 * Whether what a source claims (a declared platform, or a descriptor's platform in a source index)
 * agrees with what its config blob says. Compared normalized; os.version only when the claim names one,
 * since index descriptors often leave it out.
 */
export function claimHolds(claim: Platform, truth: Platform): boolean {
  const expected = claim['os.version'] === undefined ? { ...truth, 'os.version': undefined } : truth;
  return samePlatform(claim, expected);
}

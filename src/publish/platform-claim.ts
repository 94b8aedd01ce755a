import { platformMatches, type Platform } from '../oci/platform.js';

/**
 * Whether what a source claims (a declared or templated platform, or a descriptor's platform in a source index)
 * agrees with what its config blob says: the rule of `platforms`, so a claim without os.version holds for any
 * os.version and one with it holds on the components it gives.
 */
export function claimHolds(claim: Platform, truth: Platform): boolean {
  return platformMatches(claim, truth);
}

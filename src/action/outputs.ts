import * as core from '@actions/core';
import { platformKey, type Platform } from '../oci/platform.js';
import type { PublishResult } from '../publish/result.js';

/** The action's outputs, named as in action.yml. */
export const OUTPUTS = {
  digest: 'digest',
  image: 'image',
  mediaType: 'media-type',
  platforms: 'platforms',
  manifest: 'manifest',
  missingPlatforms: 'missing-platforms',
} as const;

/** Sets every output from the result; `manifest` is the index bytes exactly, decoded as UTF-8. */
export function writeOutputs(result: PublishResult): void {
  core.setOutput(OUTPUTS.digest, result.digest);
  core.setOutput(OUTPUTS.image, result.image);
  core.setOutput(OUTPUTS.mediaType, result.mediaType);
  core.setOutput(OUTPUTS.platforms, result.platforms.join(','));
  core.setOutput(
    OUTPUTS.manifest,
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(result.manifest),
  );
}

/** `missing-platforms`: the required platforms no image matched, comma-separated; set on success and on failure. */
export function writeMissingPlatforms(missing: Platform[]): void {
  core.setOutput(OUTPUTS.missingPlatforms, missing.map(platformKey).join(','));
}

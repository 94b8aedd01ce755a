import * as core from '@actions/core';
import { platformKey, type Platform } from '../oci/platform.js';
import { formatReference } from '../oci/reference.js';
import type { PublishResult } from '../publish/result.js';
import type { RunRecord } from '../publish/run-record.js';

/** The action's outputs, named as in action.yml. */
export const OUTPUTS = {
  digest: 'digest',
  image: 'image',
  images: 'images',
  tags: 'tags',
  mediaType: 'media-type',
  platforms: 'platforms',
  children: 'children',
  manifest: 'manifest',
  missingPlatforms: 'missing-platforms',
} as const;

/** Sets every output from the result; `manifest` is the index bytes exactly, decoded as UTF-8. */
export function writeOutputs(result: PublishResult): void {
  core.setOutput(OUTPUTS.digest, result.digest);
  core.setOutput(OUTPUTS.image, result.image);
  core.setOutput(OUTPUTS.images, result.images.join('\n'));
  // The tags that hold the index as read back after the move; none in a dry run, which writes nothing.
  const held = result.tags.filter((tag) => tag.status !== 'dry-run' && tag.now === result.digest);
  core.setOutput(OUTPUTS.tags, held.map((tag) => formatReference(tag.reference)).join('\n'));
  core.setOutput(OUTPUTS.mediaType, result.mediaType);
  core.setOutput(OUTPUTS.platforms, result.platforms.join(','));
  core.setOutput(OUTPUTS.children, JSON.stringify(result.children.map(describeChild)));
  core.setOutput(
    OUTPUTS.manifest,
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(result.manifest),
  );
}

/**
 * After a failed run, the outputs say what is live: `digest` and `tags` when some tag reads back holding the new
 * index all the same (one that could not be put back, or one already there), so a signing step can still hear of it.
 */
export function writeLiveTags(record: RunRecord): void {
  const live = record.tags.filter((tag) => record.index !== undefined && tag.now === record.index);
  if (record.index === undefined || live.length === 0) return;
  core.setOutput(OUTPUTS.digest, record.index);
  core.setOutput(OUTPUTS.tags, live.map((tag) => formatReference(tag.reference)).join('\n'));
}

/** `missing-platforms`: the required platforms no image matched, comma-separated; set on success and on failure. */
export function writeMissingPlatforms(missing: Platform[]): void {
  core.setOutput(OUTPUTS.missingPlatforms, missing.map(platformKey).join(','));
}

/** One entry of the `children` output: what a later step needs to sign, scan or deploy a child. */
function describeChild(child: PublishResult['children'][number]): Record<string, unknown> {
  return {
    kind: child.kind,
    platform: platformKey(child.platform),
    digest: child.digest,
    mediaType: child.mediaType,
    size: child.size,
    ...(child.imageSize !== undefined && { imageSize: child.imageSize }),
    source: child.source,
    ...(child.subject !== undefined && { subject: child.subject }),
  };
}

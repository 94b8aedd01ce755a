import type { Digest } from '../oci/digest.js';
import type { Child } from './child.js';
import type { FailedCheck } from './publish-errors.js';
import type { PublishedChild } from './result.js';
import type { TagRecord } from './tags/tag-record.js';

export type { TagRecord } from './tags/tag-record.js';

/** The phases of a run, in order; a failure is reported against the one under way. */
export type RunStep = 'read inputs' | 'resolve and verify sources' | 'copy children' | 'move tags';

/**
 * What a run did so far, filled in as it goes: the summary of a failed run reads it to say what was verified,
 * which step failed, and where every tag was left. A successful run's result carries the same facts.
 */
export class RunRecord {
  step: RunStep = 'read inputs';
  /**
   * The children proven from their configs: every image read from the sources while they are checked (one that
   * failed a check marked with it), then the index's entries once they are settled.
   */
  children: PublishedChild[] = [];
  /** The index digest, once assembled (in verify mode, the source index that was verified). */
  index: Digest | undefined;
  tags: TagRecord[] = [];

  /** Records the children read so far; `failed` names the one that failed a check, and the check. */
  read(children: Child[], failed?: FailedCheck): void {
    this.children = children.map((child) =>
      failed !== undefined && child.descriptor.digest === failed.digest && child.source === failed.source
        ? { ...published(child), failedCheck: failed.check }
        : published(child),
    );
  }
}

/** A child as the result and the summary show it; `imageSize` only where the manifest was read. */
export function published(child: Child): PublishedChild {
  const manifest = child.content?.manifest;
  return {
    kind: child.kind,
    platform: child.platform,
    digest: child.descriptor.digest,
    mediaType: child.descriptor.mediaType,
    size: child.descriptor.size,
    ...(manifest && {
      imageSize: manifest.layers.reduce((sum, layer) => sum + layer.size, manifest.config.size),
    }),
    source: child.source,
    ...(child.proven && { proven: child.proven }),
    ...(child.subject && { subject: child.subject }),
  };
}

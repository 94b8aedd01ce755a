import type { Digest } from '../oci/digest.js';
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
  /** The children proven from their configs, once resolving is done. */
  children: PublishedChild[] = [];
  /** The index digest, once assembled. */
  index: Digest | undefined;
  tags: TagRecord[] = [];
}

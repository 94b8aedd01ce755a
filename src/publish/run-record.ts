import type { Digest } from '../oci/digest.js';
import type { Reference } from '../oci/reference.js';
import type { PublishedChild } from './result.js';

/** The phases of a run, in order; a failure is reported against the one under way. */
export type RunStep = 'read inputs' | 'resolve and verify sources' | 'copy children' | 'move tags';

/** What happened to one target tag, on success or failure. */
export interface TagRecord {
  reference: Reference;
  /**
   * `unchanged`: already at the index, not written; `moved`: now at the index; `restored`: moved, then put back to
   * `previous` after a failure; `stuck`: could not be put back, holds `now`; `untouched`: a failed run never got
   * to it; `dry-run`: push was false.
   */
  status: 'unchanged' | 'moved' | 'restored' | 'stuck' | 'untouched' | 'dry-run';
  /** What the tag held before the run (undefined: no such tag). */
  previous?: Digest;
  /** What the tag holds when the run ends, where known. */
  now?: Digest;
}

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

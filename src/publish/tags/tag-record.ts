import type { Digest } from '../../oci/digest.js';
import type { Reference } from '../../oci/reference.js';

/** What happened to one target tag, on success or failure. */
export interface TagRecord {
  reference: Reference;
  /**
   * `unchanged`: already at the index, not written; `moved`: now at the index; `restored`: moved, then put back to
   * `previous` after a failure; `stuck`: could not be put back, holds `now`; `taken`: read back holding a manifest
   * that is neither the index nor what it held before (another writer's), left alone; `untouched`: a failed run
   * never got to it (or its write did not take); `dry-run`: push was false.
   */
  status: 'unchanged' | 'moved' | 'restored' | 'stuck' | 'taken' | 'untouched' | 'dry-run';
  /** What the tag held before the run (undefined: no such tag). */
  previous?: Digest;
  /** What the tag holds when the run ends, as read back from the registry, where known. */
  now?: Digest;
}

import { ReportedError } from '../../common/reported-error.js';
import { formatReference } from '../../oci/reference.js';
import { describeCause } from '../../common/causes.js';
import type { TagRecord } from './tag-record.js';

/** A tag whose write failed for good (after the transport's retries), and why. */
export interface TagFailure {
  record: TagRecord;
  error: unknown;
}

/**
 * A tag could not be moved, so the run put back every tag it had moved. The message says which tag was refused
 * and why, then where every tag was left; the tags that could not be put back are named with what they hold.
 */
export class TagMoveError extends ReportedError {
  override readonly name = 'TagMoveError';
  readonly title: string;
  /** Every target tag's final state (the same records the run record holds). */
  readonly tags: TagRecord[];
  readonly #stuck: TagRecord[];
  readonly #taken: boolean;

  constructor(failures: TagFailure[], tags: TagRecord[], unrestored: Map<TagRecord, unknown>) {
    const [first] = failures;
    const refused = failures.map(
      (failure) =>
        `failed to move tag ${formatReference(failure.record.reference)}: ${describeCause(failure.error)}`,
    );
    const stuck = tags.filter((tag) => tag.status === 'stuck');
    const outcome =
      stuck.length === 0
        ? 'every tag this run moved was put back'
        : `${stuck.length} tag(s) could not be put back`;
    const lines = tags.map(
      (tag) => `  ${formatReference(tag.reference)}: ${describeTag(tag, unrestored.get(tag))}`,
    );
    super([...refused, `${outcome}; the tags now:`, ...lines].join('\n'), { cause: first?.error });
    this.title = stuck.length === 0 ? 'Tags not moved' : 'Tags left moved';
    this.tags = tags;
    this.#stuck = stuck;
    this.#taken = tags.some((tag) => tag.status === 'taken');
  }

  override hints(): string[] {
    const hints: string[] = [];
    if (this.#stuck.length > 0) {
      hints.push('Point the stuck tags back by hand (or run again once the registry accepts every tag).');
    }
    if (this.#taken) {
      hints.push(
        'Another run wrote these tags while this one moved them: give publishing jobs a `concurrency:` group.',
      );
    }
    return hints;
  }
}

function describeTag(tag: TagRecord, reason: unknown): string {
  const held = tag.now ?? 'nothing (no such tag)';
  switch (tag.status) {
    case 'restored':
      return tag.previous === undefined
        ? 'put back (deleted: it did not exist before)'
        : `put back to ${held}`;
    case 'stuck':
      return `stuck, holds ${tag.now ?? 'an unknown manifest'} (could not be put back: ${describeCause(reason)})`;
    case 'unchanged':
      return `unchanged, already held ${held}`;
    case 'taken':
      return `holds ${held}, another writer's manifest (left alone)`;
    default:
      return `not moved, holds ${held}`;
  }
}

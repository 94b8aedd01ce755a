import type { Digest } from '../../oci/digest.js';
import { formatReference } from '../../oci/reference.js';
import type { RegistryApi } from '../../registry/api.js';
import { ReportedError } from '../../common/reported-error.js';
import type { TagRecord } from './tag-record.js';
import { tagOf } from './tag-state.js';

/** Reads of a tag that does not hold what is expected: a registry may serve a write a moment late. */
const READ_ATTEMPTS = 3;
const READ_PAUSE_MS = 300;

/** A tag the registry accepted a write for, then served something else. */
export class TagReadBackError extends ReportedError {
  override readonly name = 'TagReadBackError';
  readonly title = 'Tag not as written';
}

/** What one read back found: the digest the tag holds (undefined: no such tag), or why it could not be read. */
export type ReadBack = { held: Digest | undefined } | { error: unknown };

/**
 * Reads the tag as the registry serves it now. When it does not hold `expected`, it is asked again a few times
 * before that answer stands; a tag that cannot be read at all gives the error.
 */
export async function readTag(
  record: TagRecord,
  expected: Digest | undefined,
  registry: RegistryApi,
): Promise<ReadBack> {
  let held: Digest | undefined;
  for (let attempt = 1; attempt <= READ_ATTEMPTS; attempt += 1) {
    try {
      held = (await registry.headManifest(record.reference, tagOf(record.reference)))?.digest;
    } catch (error) {
      return { error };
    }
    if (held === expected || attempt === READ_ATTEMPTS) break;
    await new Promise((resolve) => setTimeout(resolve, READ_PAUSE_MS * attempt));
  }
  return { held };
}

/** The failure of a tag whose move was accepted but which reads back holding `held`. */
export function notAsWritten(record: TagRecord, index: Digest, held: Digest | undefined): TagReadBackError {
  const where = formatReference(record.reference);
  const what =
    held === undefined
      ? 'no manifest'
      : held === record.previous
        ? `${held}, what it held before (the write did not take)`
        : `${held}, another writer's manifest`;
  return new TagReadBackError(`the registry accepted ${where} → ${index}, but the tag reads back as ${what}`);
}

/** The reason for a tag put back that still reads back at the index. */
export function stillMoved(record: TagRecord): TagReadBackError {
  return new TagReadBackError(
    `${formatReference(record.reference)} was put back, but still reads back as ${record.now ?? 'the index'}`,
  );
}

/**
 * After a failure and the put-back: every tag is read again, and its record says what it holds as read. A tag
 * back at what it held is `restored`; one still at the index is `moved` (to be put back again) unless its put-back
 * already failed (`stuck`); one at something
 * else is `taken` (another writer's: not ours to undo). A tag that cannot be read is `stuck`, its reason kept.
 */
export async function settleAsRead(
  records: TagRecord[],
  index: Digest,
  registry: RegistryApi,
  unrestored: Map<TagRecord, unknown>,
): Promise<void> {
  await Promise.all(
    records.map(async (record) => {
      const expected = record.status === 'moved' ? index : record.previous;
      const read = await readTag(record, expected, registry);
      if ('error' in read) {
        if (record.status !== 'untouched') {
          record.status = 'stuck';
          if (!unrestored.has(record)) unrestored.set(record, read.error);
        }
        return;
      }
      const { held } = read;
      if (held === undefined) delete record.now;
      else record.now = held;
      if (held === record.previous) {
        if (record.status === 'stuck' || record.status === 'moved') record.status = 'restored';
        unrestored.delete(record);
      } else if (held === index) {
        // A put-back that failed stays `stuck`; one believed done, or a write that landed late, goes again.
        if (record.status !== 'stuck') record.status = 'moved';
      } else {
        record.status = 'taken';
        unrestored.delete(record);
      }
    }),
  );
}

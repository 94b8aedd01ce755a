import type { RawManifest } from '../../oci/manifest.js';
import { formatReference, type Reference } from '../../oci/reference.js';
import type { RegistryApi } from '../../registry/api.js';
import type { Logger } from '../../common/logger.js';
import type { TagRecord } from './tag-record.js';
import { TagMoveError, type TagFailure } from './tag-move-error.js';
import { putBack } from './restore-tags.js';
import { notAsWritten, readTag, settleAsRead, stillMoved } from './read-back.js';
import type { Digest } from '../../oci/digest.js';
import { askTag, tagOf, type Clock, type TagState } from './tag-state.js';

/**
 * An early answer older than this is asked again just before its tag moves: copying took long enough for another
 * run to move the tag meanwhile, and a stale answer would put the wrong manifest back (or skip a needed write).
 */
export const TAG_ANSWER_MAX_AGE_MS = 5_000;
/** Tags written at once: few, so that when one is refused little else is in flight (it all has to be put back). */
const TAGS_AT_ONCE = 4;

/** What every target tag points at now; asked early, so it overlaps with resolving the sources. */
export function readCurrentTags(
  targets: Reference[],
  registry: RegistryApi,
  now: Clock = Date.now,
): Promise<TagState[]> {
  return Promise.all(targets.map((target) => askTag(target, registry, now)));
}

export interface MoveTagsOptions {
  registry: RegistryApi;
  logger: Logger;
  /** Filled in as tags move, so a failure still tells where every tag was left. */
  records: TagRecord[];
  now?: Clock;
  /** The run's bounds, when the caller has any (see TagBounds). */
  bounds?: TagBounds;
}

/** How the caller bounds the run's work, as far as the tags care. */
export interface TagBounds {
  /** Fires when the work must stop (timeout, cancellation): a write then under way may land unanswered. */
  readonly stopped: AbortSignal;
  /**
   * Called once the writes are over, before the tags are read back (and put back): the bound for the run's work
   * may have passed, and reading and putting back must still run.
   */
  settling(): void;
}

/**
 * Points every tag at the index, together or not at all. Every child is already in every target repository.
 * Tags already at the index are not written (immutable-tag registries refuse even an identical write). Once a
 * tag is refused for good, no further tag starts, every tag this run moved is put back, and the error names the
 * refused tag and where every tag was left. Every tag is then read back: the records say what each holds as the
 * registry serves it, and a tag that does not hold the index after an accepted write (a registry that did not
 * store it, another run that wrote it meanwhile) fails the run like a refusal.
 */
export async function moveTags(
  index: RawManifest,
  early: TagState[],
  options: MoveTagsOptions,
): Promise<void> {
  const { registry, logger, records } = options;
  const now = options.now ?? Date.now;
  const states = await Promise.all(
    early.map((state) =>
      now() - state.answeredAt > TAG_ANSWER_MAX_AGE_MS ? askTag(state.reference, registry, now) : state,
    ),
  );
  records.splice(0, records.length, ...states.map(untouched));
  const pending: TagRecord[] = [];
  for (const record of records) {
    if (record.previous !== index.digest) {
      pending.push(record);
      continue;
    }
    record.status = 'unchanged';
    logger.info(`${formatReference(record.reference)} is already at ${index.digest}`);
  }
  // A tag the run creates where the registry cannot delete tags could not be taken back: such tags move last, once
  // every other tag has moved, so a refusal among the others leaves them untouched.
  const lastly = pending.filter(
    (record) => record.previous === undefined && !registry.deletesTags(record.reference),
  );
  for (const record of lastly) {
    const where = formatReference(record.reference);
    logger.info(
      `${where} is new and ${record.reference.registry} cannot delete tags: it moves after every other tag, ` +
        'as it could not be taken back if a tag were refused after it',
    );
  }
  const write = async (record: TagRecord): Promise<void> => {
    await registry.putManifest(record.reference, tagOf(record.reference), index);
    record.status = 'moved';
    record.now = index.digest;
    logger.info(`${formatReference(record.reference)} → ${index.digest}`);
  };
  const failures = await writeUntilRefused(
    pending.filter((record) => !lastly.includes(record)),
    write,
  );
  if (failures.length === 0) failures.push(...(await writeUntilRefused(lastly, write)));
  options.bounds?.settling();
  const unrestored = new Map<TagRecord, unknown>();
  if (failures.length === 0) {
    failures.push(...(await readMovedBack(records, index.digest, registry)));
    if (failures.length === 0) return;
  } else if (options.bounds?.stopped.aborted === true) {
    // Writes cut short by the run's end were sent, unanswered: each may still land, so each is put back.
    for (const { record } of failures) {
      record.status = 'moved';
      delete record.now;
    }
  } else {
    await Promise.all(failures.map((failure) => settleRefused(failure.record, registry, unrestored)));
  }
  await restoreAsRead(records, index.digest, { registry, logger, unrestored });
  throw new TagMoveError(failures, records, unrestored);
}

/**
 * Reads back every tag the run moved or found at the index; those that do not hold the index are failures, their
 * records saying what they hold. A tag that cannot be read stays `moved`, to be put back.
 */
async function readMovedBack(
  records: TagRecord[],
  index: Digest,
  registry: RegistryApi,
): Promise<TagFailure[]> {
  const failures: TagFailure[] = [];
  const held = records.filter((record) => record.status === 'moved' || record.status === 'unchanged');
  await Promise.all(
    held.map(async (record) => {
      const read = await readTag(record, index, registry);
      if ('error' in read) {
        record.status = 'moved';
        failures.push({ record, error: read.error });
        return;
      }
      if (read.held === index) return;
      failures.push({ record, error: notAsWritten(record, index, read.held) });
      if (read.held === undefined) delete record.now;
      else record.now = read.held;
      record.status = read.held === record.previous ? 'untouched' : 'taken';
    }),
  );
  return failures;
}

/** Rounds of putting back: a write aborted by the deadline may land after the first put-back read it. */
const RESTORE_ROUNDS = 2;

/** Puts back what the run moved, then reads every tag again, until none reads back at the index. */
async function restoreAsRead(
  records: TagRecord[],
  index: Digest,
  context: { registry: RegistryApi; logger: Logger; unrestored: Map<TagRecord, unknown> },
): Promise<void> {
  const { registry, logger, unrestored } = context;
  for (let round = 1; round <= RESTORE_ROUNDS; round += 1) {
    await putBack(records, registry, logger, unrestored);
    await settleAsRead(records, index, registry, unrestored);
    if (!records.some((record) => record.status === 'moved')) return;
  }
  for (const record of records.filter((candidate) => candidate.status === 'moved')) {
    record.status = 'stuck';
    if (!unrestored.has(record)) unrestored.set(record, stillMoved(record));
  }
}

function untouched(state: TagState): TagRecord {
  const digest = state.held?.digest;
  return {
    reference: state.reference,
    status: 'untouched',
    ...(digest === undefined ? {} : { previous: digest, now: digest }),
  };
}

/** Writes at most TAGS_AT_ONCE at a time and starts none after the first failure; the failures, in order. */
async function writeUntilRefused(
  pending: TagRecord[],
  write: (record: TagRecord) => Promise<void>,
): Promise<TagFailure[]> {
  const failures: TagFailure[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let record = pending[next]; record !== undefined && failures.length === 0; record = pending[next]) {
      next += 1;
      try {
        await write(record);
      } catch (error) {
        failures.push({ record, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(TAGS_AT_ONCE, pending.length) }, worker));
  return failures;
}

/**
 * A refused PUT may still have written (a 500 after the write, a digest other than ours): the tag is read back, and
 * one that no longer holds what it held is treated as moved, to be put back. Unreadable, it is left `stuck`.
 */
async function settleRefused(
  record: TagRecord,
  registry: RegistryApi,
  unrestored: Map<TagRecord, unknown>,
): Promise<void> {
  try {
    const held = await registry.headManifest(record.reference, tagOf(record.reference));
    if (held?.digest === record.previous) return;
    record.status = 'moved';
    if (held === undefined) delete record.now;
    else record.now = held.digest;
  } catch (error) {
    record.status = 'stuck';
    delete record.now;
    unrestored.set(record, error);
  }
}

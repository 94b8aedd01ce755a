import { describe, expect, it } from '@jest/globals';
import type { RawManifest } from '../../../../src/oci/manifest.js';
import { parseReference, type Reference } from '../../../../src/oci/reference.js';
import { quiet, recordingLogger } from '../../../support/loggers.js';
import { TagMoveError } from '../../../../src/publish/tags/tag-move-error.js';
import type { TagRecord } from '../../../../src/publish/tags/tag-record.js';
import { TAG_ANSWER_MAX_AGE_MS, moveTags, readCurrentTags } from '../../../../src/publish/tags/move-tags.js';
import { MemoryRegistry } from '../../../support/memory-registry.js';
import { memoryImage, memoryIndex, descriptorOf } from '../../../support/memory-images.js';

const APP = parseReference('registry.test/acme/app');
const target = (tag: string): Reference => parseReference(`registry.test/acme/app:${tag}`);

/** A registry holding release 1 under `held`, and release 2 (the index to move to) under no tag yet. */
function twoReleases(held: string[]): { reg: MemoryRegistry; release1: RawManifest; release2: RawManifest } {
  const reg = new MemoryRegistry();
  const amd = memoryImage(reg, APP, { architecture: 'amd64' });
  const arm = memoryImage(reg, APP, { architecture: 'arm64' });
  const release1 = memoryIndex(reg, APP, [descriptorOf(amd, { os: 'linux', architecture: 'amd64' })]);
  const release2 = memoryIndex(reg, APP, [descriptorOf(arm, { os: 'linux', architecture: 'arm64' })]);
  for (const tag of held) reg.repo(APP).tags.set(tag, release1.digest);
  return { reg, release1, release2 };
}

async function move(reg: MemoryRegistry, index: RawManifest, tags: string[]): Promise<TagRecord[]> {
  const records: TagRecord[] = [];
  const early = await readCurrentTags(tags.map(target), reg);
  await moveTags(index, early, { registry: reg, logger: quiet, records });
  return records;
}

async function refusedMove(reg: MemoryRegistry, index: RawManifest, tags: string[]): Promise<TagMoveError> {
  const error = await move(reg, index, tags).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TagMoveError);
  return error as TagMoveError;
}

const refusal = () => new Error('403 DENIED: tag is protected');

describe('moveTags', () => {
  it('moves every tag and says what each held', async () => {
    const { reg, release1, release2 } = twoReleases(['1', 'latest']);
    const records = await move(reg, release2, ['1', 'latest', '1.0.1']);
    expect(records.map(({ status, previous, now }) => ({ status, previous, now }))).toEqual([
      { status: 'moved', previous: release1.digest, now: release2.digest },
      { status: 'moved', previous: release1.digest, now: release2.digest },
      { status: 'moved', now: release2.digest },
    ]);
  });

  it('puts every moved tag back when one is refused, and names the refused tag', async () => {
    const { reg, release1, release2 } = twoReleases(['1', '1.0', 'latest']);
    reg.refusals.set('registry.test/acme/app:1.0', refusal());
    const error = await refusedMove(reg, release2, ['1', '1.0', 'latest']);
    for (const tag of ['1', '1.0', 'latest']) expect(reg.tagOf(APP, tag)).toBe(release1.digest);
    expect(error.tags.map((tag) => tag.status)).toEqual(['restored', 'untouched', 'restored']);
    expect(error.title).toBe('Tags not moved');
    expect(error.message).toContain(
      'failed to move tag registry.test/acme/app:1.0: 403 DENIED: tag is protected',
    );
    expect(error.message).toContain(`registry.test/acme/app:latest: put back to ${release1.digest}`);
  });

  it('starts no further tag once the first is refused (ten tags)', async () => {
    const tags = Array.from({ length: 10 }, (_, i) => `t${i}`);
    const { reg, release1, release2 } = twoReleases(tags);
    reg.refusals.set('registry.test/acme/app:t0', refusal());
    const error = await refusedMove(reg, release2, tags);
    for (const tag of tags) expect(reg.tagOf(APP, tag)).toBe(release1.digest);
    // Only the first few were under way when the refusal came; the rest never started.
    expect(error.tags.filter((tag) => tag.status === 'untouched').length).toBeGreaterThanOrEqual(6);
    expect(error.tags.filter((tag) => tag.status === 'restored').length).toBeLessThanOrEqual(3);
  });

  it('deletes a tag that did not exist before, where the registry allows it', async () => {
    const { reg, release1, release2 } = twoReleases(['1']);
    reg.refusals.set('registry.test/acme/app:1', refusal());
    const error = await refusedMove(reg, release2, ['new', '1']);
    expect(reg.tagOf(APP, 'new')).toBeUndefined();
    expect(reg.tagOf(APP, '1')).toBe(release1.digest);
    expect(error.tags[0]).toMatchObject({ status: 'restored' });
    expect(error.tags[0]?.now).toBeUndefined();
    expect(error.message).toContain(
      'registry.test/acme/app:new: put back (deleted: it did not exist before)',
    );
  });

  it('names a new tag it cannot delete as stuck, with the digest it holds', async () => {
    const { reg, release2 } = twoReleases(['1']);
    reg.tagDeletes = false;
    reg.refusals.set('registry.test/acme/app:1', refusal());
    const error = await refusedMove(reg, release2, ['new', '1']);
    expect(reg.tagOf(APP, 'new')).toBe(release2.digest);
    expect(error.tags[0]).toMatchObject({ status: 'stuck', now: release2.digest });
    expect(error.title).toBe('Tags left moved');
    expect(error.message).toContain(
      `registry.test/acme/app:new: stuck, holds ${release2.digest} (could not be put back: ` +
        'failed to delete tag registry.test/acme/app:new: 405 UNSUPPORTED)',
    );
  });

  it('moves a new tag last where the registry is known not to delete tags, and says so first', async () => {
    const { reg, release1, release2 } = twoReleases(['1', 'latest']);
    reg.tagDeletes = false;
    reg.knownToDeleteTags = false;
    reg.refusals.set('registry.test/acme/app:latest', refusal());
    const log = recordingLogger();
    const records: TagRecord[] = [];
    const early = await readCurrentTags(['new', '1', 'latest'].map(target), reg);
    const error = await moveTags(release2, early, { registry: reg, logger: log, records }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TagMoveError);
    expect(reg.tagOf(APP, 'new')).toBeUndefined();
    for (const tag of ['1', 'latest']) expect(reg.tagOf(APP, tag)).toBe(release1.digest);
    expect((error as TagMoveError).title).toBe('Tags not moved');
    expect(log.lines[0]).toBe(
      'registry.test/acme/app:new is new and registry.test cannot delete tags: it moves after every other tag, ' +
        'as it could not be taken back if a tag were refused after it',
    );
  });

  it('moves a new tag last where deletes are known impossible, once every other tag moved', async () => {
    const { reg, release2 } = twoReleases(['1']);
    reg.knownToDeleteTags = false;
    const records = await move(reg, release2, ['new', '1']);
    expect(records.map((record) => record.status)).toEqual(['moved', 'moved']);
    expect(reg.writes.slice(-2)).toEqual(['registry.test/acme/app:1', 'registry.test/acme/app:new']);
  });

  it('leaves a tag already at the index alone, also when another is refused', async () => {
    const { reg, release1, release2 } = twoReleases(['1']);
    reg.repo(APP).tags.set('latest', release2.digest);
    reg.refusals.set('registry.test/acme/app:latest', refusal());
    reg.refusals.set('registry.test/acme/app:2', refusal());
    const error = await refusedMove(reg, release2, ['latest', '2', '1']);
    expect(error.tags.map((tag) => tag.status)).toEqual(['unchanged', 'untouched', 'restored']);
    expect(reg.tagOf(APP, 'latest')).toBe(release2.digest);
    expect(reg.tagOf(APP, '1')).toBe(release1.digest);
  });

  it('trusts an early answer that is recent: no second HEAD', async () => {
    const { reg, release2 } = twoReleases(['1']);
    const now = () => 1_000;
    const early = await readCurrentTags([target('1')], reg, now);
    reg.heads.length = 0;
    await moveTags(release2, early, { registry: reg, logger: quiet, records: [], now });
    // The one HEAD is the read-back after the write, none before it.
    expect(reg.heads).toEqual(['registry.test/acme/app:1']);
    expect(reg.writes).toHaveLength(1);
  });

  it('asks again when the early answer is old: another run may have moved the tag meanwhile', async () => {
    const { reg, release2 } = twoReleases([]);
    const early = await readCurrentTags([target('2')], reg, () => 0);
    // While this run copied, another one put the same index under the tag.
    reg.repo(APP).tags.set('2', release2.digest);
    reg.heads.length = 0;
    const records: TagRecord[] = [];
    const now = () => TAG_ANSWER_MAX_AGE_MS + 1;
    await moveTags(release2, early, { registry: reg, logger: quiet, records, now });
    // Asked again before the move, then read back after it.
    expect(reg.heads).toEqual(['registry.test/acme/app:2', 'registry.test/acme/app:2']);
    expect(records).toEqual([
      { reference: target('2'), status: 'unchanged', previous: release2.digest, now: release2.digest },
    ]);
    expect(reg.writes).toEqual([]);
  });
});

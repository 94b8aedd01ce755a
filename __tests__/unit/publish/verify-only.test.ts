import { describe, expect, it } from '@jest/globals';
import { parsePlatform, type Platform } from '../../../src/oci/platform.js';
import { parseReference } from '../../../src/oci/reference.js';
import { parseSource } from '../../../src/action/inputs/sources.js';
import { MissingPlatformsError } from '../../../src/publish/publish-errors.js';
import { RunRecord } from '../../../src/publish/run-record.js';
import { publish } from '../../../src/publish/publish.js';
import type { PublishRequest } from '../../../src/publish/request.js';
import { MemoryRegistry } from '../../support/memory-registry.js';
import { descriptorOf, memoryAttestation, memoryImage, memoryIndex } from '../../support/memory-images.js';
import { publishRequest } from '../../support/publish-request.js';
import { quiet } from '../../support/loggers.js';

const APP = parseReference('registry.test/acme/app');

/** Verify mode: push false, no targets. */
function verify(sources: string[], extra: Partial<PublishRequest> = {}): PublishRequest {
  return publishRequest({ sources: sources.map(parseSource), targets: [], push: false, ...extra });
}

const platforms = (...texts: string[]): Platform[] => texts.map(parsePlatform);

/** linux/amd64 and Windows Server 2019 under app:1.0, each with a buildx attestation. */
function linuxAndWindows(reg: MemoryRegistry): void {
  const linux = memoryImage(reg, APP, { architecture: 'amd64' });
  const windows = memoryImage(reg, APP, {
    os: 'windows',
    architecture: 'amd64',
    osVersion: '10.0.17763.5830',
  });
  memoryIndex(
    reg,
    APP,
    [
      descriptorOf(linux, { os: 'linux', architecture: 'amd64' }),
      descriptorOf(windows, { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.5830' }),
      memoryAttestation(reg, APP, linux),
    ],
    { tag: '1.0' },
  );
}

describe('verify mode (push: false, no tags)', () => {
  it.each([
    ['os.version left out', 'linux/amd64,windows/amd64'],
    ['os.version given on the components it names', 'linux/amd64,windows(10.0.17763)/amd64'],
    ['os.version given in full', 'windows(10.0.17763.5830)/amd64'],
  ])('passes an index that covers what is required (%s), writing nothing', async (_name, required) => {
    const reg = new MemoryRegistry();
    linuxAndWindows(reg);
    const result = await publish(
      verify(['registry.test/acme/app:1.0'], { platforms: platforms(...required.split(',')) }),
      reg,
      quiet,
    );
    expect(reg.writes).toEqual([]);
    expect(reg.access.every((access) => !access.push)).toBe(true);
    expect(result.platforms).toEqual(['linux/amd64', 'windows(10.0.17763.5830)/amd64']);
    expect(result.required).toEqual(platforms(...required.split(',')));
    expect(result.missing).toEqual([]);
    expect(result).toMatchObject({ tags: [], dryRun: true, image: '' });
  });

  it('reports the index it verified, byte for byte, whatever annotations the run would add', async () => {
    const reg = new MemoryRegistry();
    linuxAndWindows(reg);
    const index = await reg.source(APP).manifest('1.0');
    const result = await publish(
      verify(['registry.test/acme/app:1.0'], {
        indexAnnotations: { 'org.opencontainers.image.revision': 'abc123' },
      }),
      reg,
      quiet,
    );
    expect(result.digest).toBe(index.digest);
    expect(Buffer.from(result.manifest).equals(Buffer.from(index.bytes))).toBe(true);
    expect(result).toMatchObject({
      mediaType: index.mediaType,
      size: index.bytes.byteLength,
      verifiedIndex: `registry.test/acme/app@${index.digest}`,
      image: '',
      images: [],
    });
  });

  it('reports, for separate images, the index they would make', async () => {
    const reg = new MemoryRegistry();
    const amd = memoryImage(reg, APP, { architecture: 'amd64', tag: 'amd64' });
    const arm = memoryImage(reg, APP, { architecture: 'arm64', tag: 'arm64' });
    const run = (push: boolean, targets: string[]) =>
      publish(
        publishRequest({
          sources: ['registry.test/acme/app:amd64', 'registry.test/acme/app:arm64'].map(parseSource),
          targets: targets.map(parseReference),
          push,
        }),
        reg,
        quiet,
      );
    const verified = await run(false, []);
    expect([amd.digest, arm.digest]).not.toContain(verified.digest);
    expect(verified.verifiedIndex).toBeUndefined();
    // The same bytes a publish of these sources pushes.
    expect((await run(true, ['registry.test/acme/app:1.0'])).digest).toBe(verified.digest);
  });

  it('records every image it read when one fails a check, marking that one', async () => {
    const reg = new MemoryRegistry();
    const amd = memoryImage(reg, APP, { architecture: 'amd64', tag: 'amd64' });
    const arm = memoryImage(reg, APP, { architecture: 'amd64', salt: 'x', tag: 'arm64' });
    const record = new RunRecord();
    const run = publish(
      verify(['linux/amd64=registry.test/acme/app:amd64', 'linux/arm64=registry.test/acme/app:arm64']),
      reg,
      quiet,
      record,
    );
    await expect(run).rejects.toMatchObject({ title: 'Platform check failed' });
    expect(record.children.map((child) => [child.digest, child.platform, child.failedCheck])).toEqual([
      [amd.digest, { os: 'linux', architecture: 'amd64' }, undefined],
      [arm.digest, { os: 'linux', architecture: 'amd64' }, 'declared linux/arm64'],
    ]);
  });

  it('fails on a required platform the index lacks, carrying what is missing', async () => {
    const reg = new MemoryRegistry();
    linuxAndWindows(reg);
    const run = publish(
      verify(['registry.test/acme/app:1.0'], {
        platforms: platforms('linux/amd64', 'linux/arm64', 'windows(10.0.20348)/amd64'),
      }),
      reg,
      quiet,
    );
    await expect(run).rejects.toThrow(
      'required platforms linux/arm64, windows(10.0.20348)/amd64 missing from the sources; they provide ' +
        'linux/amd64, windows(10.0.17763.5830)/amd64',
    );
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPlatformsError);
    expect((error as MissingPlatformsError).missing).toEqual(
      platforms('linux/arm64', 'windows(10.0.20348)/amd64'),
    );
    expect(reg.writes).toEqual([]);
  });

  it('fails on an index whose descriptor lies, naming the child, the claim and the truth', async () => {
    const reg = new MemoryRegistry();
    const amd = memoryImage(reg, APP, { architecture: 'amd64' });
    const alsoAmd = memoryImage(reg, APP, { architecture: 'amd64', salt: 'b' });
    memoryIndex(
      reg,
      APP,
      [
        descriptorOf(amd, { os: 'linux', architecture: 'amd64' }),
        descriptorOf(alsoAmd, { os: 'linux', architecture: 'arm64' }),
      ],
      { tag: 'lies' },
    );
    const record = new RunRecord();
    await expect(publish(verify(['registry.test/acme/app:lies']), reg, quiet, record)).rejects.toThrow(
      `its index lists ${alsoAmd.digest} as linux/arm64 but that image's config says it is linux/amd64`,
    );
    expect(record.children.map((child) => [child.digest, child.failedCheck])).toEqual([
      [amd.digest, undefined],
      [alsoAmd.digest, 'the index says linux/arm64'],
    ]);
  });

  it('fails on an index with one platform twice', async () => {
    const reg = new MemoryRegistry();
    const one = memoryImage(reg, APP, { architecture: 'arm64' });
    const two = memoryImage(reg, APP, { architecture: 'arm64', variant: 'v8', salt: 'two' });
    memoryIndex(reg, APP, [descriptorOf(one), descriptorOf(two)], { tag: 'twice' });
    const record = new RunRecord();
    await expect(publish(verify(['registry.test/acme/app:twice']), reg, quiet, record)).rejects.toThrow(
      new RegExp(`two different images for linux/arm64(/v8)?: ${one.digest}`),
    );
    expect(record.children.map((child) => [child.digest, child.failedCheck])).toEqual([
      [one.digest, undefined],
      [two.digest, expect.stringMatching(/^second image for linux\/arm64/)],
    ]);
  });

  it('fails on an attestation whose subject the index does not hold', async () => {
    const reg = new MemoryRegistry();
    const amd = memoryImage(reg, APP, { architecture: 'amd64' });
    const gone = memoryImage(reg, APP, { architecture: 'arm64' });
    const attestation = memoryAttestation(reg, APP, gone);
    memoryIndex(reg, APP, [descriptorOf(amd), attestation], { tag: 'orphan' });
    await expect(publish(verify(['registry.test/acme/app:orphan']), reg, quiet)).rejects.toThrow(
      `attestation ${attestation.digest} describes ${gone.digest}, which is not among the images`,
    );
    // A publish drops such an attestation, and so does verify mode when attestations are dropped.
    await expect(
      publish(verify(['registry.test/acme/app:orphan'], { attestations: 'drop' }), reg, quiet),
    ).resolves.toMatchObject({ platforms: ['linux/amd64'] });
  });

  it.each<[string, Partial<PublishRequest>, string[], string]>([
    [
      'a push',
      { push: true },
      ['registry.test/acme/app:1.0'],
      'no target: give at least one tag, or set push: false',
    ],
    [
      'append',
      { append: true },
      ['registry.test/acme/app:1.0'],
      'append merges into the index at the first tag',
    ],
    [
      'a bare digest',
      {},
      [`sha256:${'a'.repeat(64)}`],
      'a bare digest is looked up in the target repositories, and verify mode (push: false without tags) has none',
    ],
  ])('refuses %s without targets, before any request', async (_name, extra, sources, message) => {
    const reg = new MemoryRegistry();
    await expect(publish(verify(sources, extra), reg, quiet)).rejects.toThrow(message);
    expect(reg.access).toEqual([]);
  });
});

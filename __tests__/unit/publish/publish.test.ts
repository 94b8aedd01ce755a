import { describe, expect, it } from '@jest/globals';
import { parseReference } from '../../../src/oci/reference.js';
import { parsePlatform } from '../../../src/oci/platform.js';
import { publish } from '../../../src/publish/publish.js';
import { recordingLogger } from '../../support/loggers.js';
import type { PublishRequest } from '../../../src/publish/request.js';
import { RunRecord } from '../../../src/publish/run-record.js';
import { parseSource } from '../../../src/action/inputs/sources.js';
import { ReferrersRefusedError, SourceNotFoundError } from '../../../src/publish/publish-errors.js';
import { publishRequest } from '../../support/publish-request.js';
import { MemoryRegistry, sha256 } from '../../support/memory-registry.js';
import { MEDIA_TYPES } from '../../../testkit/media-types.js';
import { descriptorOf, memoryAttestation, memoryImage, memoryIndex } from '../../support/memory-images.js';

const APP = parseReference('registry.test/acme/app');
const OTHER = parseReference('registry.test/acme/builds');
const MIRROR = parseReference('mirror.test/acme/app');

function request(sources: string[], tags: string[], extra: Partial<PublishRequest> = {}): PublishRequest {
  return publishRequest({ sources: sources.map(parseSource), targets: tags.map(parseReference), ...extra });
}

const json = (bytes: Uint8Array): { mediaType: string; manifests: Array<Record<string, unknown>> } =>
  JSON.parse(new TextDecoder().decode(bytes));

function threeArch(reg: MemoryRegistry, format: 'oci' | 'docker' = 'oci'): void {
  memoryImage(reg, APP, { architecture: 'amd64', tag: '1.0-amd64', format });
  memoryImage(reg, APP, { architecture: 'arm64', tag: '1.0-arm64', format });
  memoryImage(reg, APP, { architecture: 'arm', variant: 'v7', tag: '1.0-armv7', format });
}
const THREE = [
  'registry.test/acme/app:1.0-amd64',
  'registry.test/acme/app:1.0-arm64',
  'registry.test/acme/app:1.0-armv7',
];

describe('publish', () => {
  it('says to set referrers: skip when a source refuses its referrers lookup, and writes nothing', async () => {
    const reg = new MemoryRegistry();
    memoryImage(reg, OTHER, { architecture: 'amd64', tag: '1.0' });
    reg.refusesReferrers.add('registry.test/acme/builds');
    const error: unknown = await publish(
      request(['registry.test/acme/builds:1.0'], ['registry.test/acme/app:1.0']),
      reg,
      recordingLogger(),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReferrersRefusedError);
    expect((error as Error).message).toMatch(
      /403 DENIED; to publish without carrying .* set referrers: skip$/,
    );
    expect(reg.writes).toEqual([]);
  });

  it('names a source tag the registry does not have, and writes nothing', async () => {
    const reg = new MemoryRegistry();
    threeArch(reg);
    const error: unknown = await publish(
      request(['registry.test/acme/app:1.0-s390x'], ['registry.test/acme/app:1.0']),
      reg,
      recordingLogger(),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceNotFoundError);
    expect((error as Error).message).toContain(
      'source "registry.test/acme/app:1.0-s390x": registry.test/acme/app has no tag 1.0-s390x',
    );
    expect(reg.writes).toEqual([]);
  });

  it('merges per-arch tags into one index under every tag, digest over the pushed bytes', async () => {
    const reg = new MemoryRegistry();
    threeArch(reg);
    const result = await publish(
      request(THREE, ['registry.test/acme/app:1.0', 'registry.test/acme/app:latest']),
      reg,
      recordingLogger(),
    );
    expect(result.digest).toBe(sha256(result.manifest));
    expect(reg.tagOf(APP, '1.0')).toBe(result.digest);
    expect(reg.tagOf(APP, 'latest')).toBe(result.digest);
    expect(result.mediaType).toBe(MEDIA_TYPES.ociIndex);
    expect(result.platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    expect(result.image).toBe(`registry.test/acme/app@${result.digest}`);
    expect(result.tags.map((t) => t.status)).toEqual(['moved', 'moved']);
    const index = json(result.manifest);
    expect(index.manifests.map((m) => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux' },
      { architecture: 'arm', os: 'linux', variant: 'v7' },
    ]);
  });

  it('asks once whether each image is in another target repository, while the images are still being proven', async () => {
    const asked = (reg: MemoryRegistry) =>
      reg.heads.filter((head) => head.startsWith('registry.test/acme/builds:sha256:'));
    const published = new MemoryRegistry();
    threeArch(published);
    await publish(request(THREE, ['registry.test/acme/builds:1.0']), published, recordingLogger());
    expect(asked(published)).toHaveLength(3);
    expect(new Set(asked(published)).size).toBe(3);

    // The third image fails its check: the run copies nothing, but the first two were asked about already.
    const refused = new MemoryRegistry();
    threeArch(refused);
    const declared = [...THREE.slice(0, 2), `linux/s390x=${THREE[2] ?? ''}`];
    await expect(
      publish(request(declared, ['registry.test/acme/builds:1.0']), refused, recordingLogger()),
    ).rejects.toThrow(/declared linux\/s390x/);
    expect(refused.writes).toEqual([]);
    expect(asked(refused)).toHaveLength(3);
  });

  it('makes a Docker manifest list from Docker children under auto', async () => {
    const reg = new MemoryRegistry();
    threeArch(reg, 'docker');
    const result = await publish(request(THREE, ['registry.test/acme/app:1.0']), reg, recordingLogger());
    expect(result.mediaType).toBe(MEDIA_TYPES.dockerManifestList);
    expect(json(result.manifest).mediaType).toBe(MEDIA_TYPES.dockerManifestList);
  });

  it('fails, writing nothing, when a tag holds another architecture than declared', async () => {
    const reg = new MemoryRegistry();
    memoryImage(reg, APP, { architecture: 'amd64', tag: '1.0-amd64' });
    memoryImage(reg, APP, { architecture: 'amd64', tag: '1.0-arm64', salt: 'mislabelled' });
    const run = publish(
      request(
        ['registry.test/acme/app:1.0-amd64', 'linux/arm64=registry.test/acme/app:1.0-arm64'],
        ['registry.test/acme/app:1.0'],
      ),
      reg,
      recordingLogger(),
    );
    await expect(run).rejects.toThrow(
      /"linux\/arm64=registry.test\/acme\/app:1.0-arm64" is declared linux\/arm64 but its config says it is linux\/amd64/,
    );
    expect(reg.writes).toEqual([]);
  });

  it('fails, writing nothing, when a required platform is missing', async () => {
    const reg = new MemoryRegistry();
    threeArch(reg);
    const run = publish(
      request(THREE.slice(0, 2), ['registry.test/acme/app:1.0'], {
        platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'].map(parsePlatform),
      }),
      reg,
      recordingLogger(),
    );
    await expect(run).rejects.toThrow(
      'required platform linux/arm/v7 missing from the sources; they provide linux/amd64, linux/arm64',
    );
    expect(reg.writes).toEqual([]);
  });

  it('treats arm64/v8 and aarch64 as arm64 when checking platforms', async () => {
    const reg = new MemoryRegistry();
    memoryImage(reg, APP, { architecture: 'arm64', variant: 'v8', tag: 'a' });
    const result = await publish(
      request(['registry.test/acme/app:a'], ['registry.test/acme/app:1.0'], {
        platforms: [parsePlatform('linux/arm64')],
      }),
      reg,
      recordingLogger(),
    );
    expect(result.platforms).toEqual(['linux/arm64']);
  });

  it('fails when a source index lies about a platform', async () => {
    const reg = new MemoryRegistry();
    const amd = memoryImage(reg, OTHER, { architecture: 'amd64' });
    memoryIndex(reg, OTHER, [descriptorOf(amd, { architecture: 'arm64', os: 'linux' })], { tag: 'multi' });
    const run = publish(
      request(['registry.test/acme/builds:multi'], ['registry.test/acme/app:1.0']),
      reg,
      recordingLogger(),
    );
    await expect(run).rejects.toThrow(
      /lists sha256:[0-9a-f]{64} as linux\/arm64 but that image's config says it is linux\/amd64/,
    );
    expect(reg.writes).toEqual([]);
  });

  it('fails on two different images for one platform, and dedupes the same image given twice', async () => {
    const reg = new MemoryRegistry();
    memoryImage(reg, APP, { architecture: 'amd64', tag: 'x' });
    memoryImage(reg, APP, { architecture: 'x86_64', tag: 'y', salt: 'other build' });
    await expect(
      publish(
        request(['registry.test/acme/app:x', 'registry.test/acme/app:y'], ['registry.test/acme/app:1']),
        reg,
        recordingLogger(),
      ),
    ).rejects.toThrow(
      /two different images for linux\/amd64: sha256:\w+ from "registry.test\/acme\/app:x" and/,
    );
    const result = await publish(
      request(['registry.test/acme/app:x', 'registry.test/acme/app:x'], ['registry.test/acme/app:1']),
      reg,
      recordingLogger(),
    );
    expect(json(result.manifest).manifests).toHaveLength(1);
  });

  it('copies children from other repositories and registries into every target first', async () => {
    const reg = new MemoryRegistry();
    const amd = memoryImage(reg, OTHER, { architecture: 'amd64', tag: 'amd64' });
    const arm = memoryImage(reg, OTHER, { architecture: 'arm64', tag: 'arm64' });
    const result = await publish(
      request(
        ['registry.test/acme/builds:amd64', 'registry.test/acme/builds:arm64'],
        ['registry.test/acme/app:1.0', 'mirror.test/acme/app:1.0'],
      ),
      reg,
      recordingLogger(),
    );
    for (const target of [APP, MIRROR]) {
      expect(reg.tagOf(target, '1.0')).toBe(result.digest);
      expect(reg.repo(target).manifests.has(amd.digest)).toBe(true);
      expect(reg.repo(target).manifests.has(arm.digest)).toBe(true);
    }
    expect(result.transfers).toEqual({ present: 0, mounted: 4, copied: 4 });
  });

  it('keeps buildx attestations after the images, or drops them', async () => {
    const reg = new MemoryRegistry();
    const amd = memoryImage(reg, OTHER, { architecture: 'amd64' });
    const arm = memoryImage(reg, OTHER, { architecture: 'arm64' });
    memoryIndex(
      reg,
      OTHER,
      [
        descriptorOf(amd, { architecture: 'amd64', os: 'linux' }),
        memoryAttestation(reg, OTHER, amd),
        descriptorOf(arm, { architecture: 'arm64', os: 'linux' }),
        memoryAttestation(reg, OTHER, arm),
      ],
      { tag: 'buildx' },
    );
    const kept = await publish(
      request(['registry.test/acme/builds:buildx'], ['registry.test/acme/app:1']),
      reg,
      recordingLogger(),
    );
    const entries = json(kept.manifest).manifests;
    expect(entries.map((m) => (m.platform as { architecture: string }).architecture)).toEqual([
      'amd64',
      'arm64',
      'unknown',
      'unknown',
    ]);
    expect(kept.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    for (const entry of entries) expect(reg.repo(APP).manifests.has(entry.digest as string)).toBe(true);

    const dropped = await publish(
      request(['registry.test/acme/builds:buildx'], ['registry.test/acme/app:2'], { attestations: 'drop' }),
      reg,
      recordingLogger(),
    );
    expect(json(dropped.manifest).manifests).toHaveLength(2);
  });

  it('takes one platform from an index source declared with PLATFORM=', async () => {
    const reg = new MemoryRegistry();
    const amd = memoryImage(reg, OTHER, { architecture: 'amd64' });
    const arm = memoryImage(reg, OTHER, { architecture: 'arm64' });
    memoryIndex(
      reg,
      OTHER,
      [
        descriptorOf(amd, { architecture: 'amd64', os: 'linux' }),
        descriptorOf(arm, { architecture: 'arm64', os: 'linux' }),
      ],
      {
        tag: 'multi',
      },
    );
    const result = await publish(
      request(['linux/arm64=registry.test/acme/builds:multi'], ['registry.test/acme/app:1']),
      reg,
      recordingLogger(),
    );
    expect(result.platforms).toEqual(['linux/arm64']);
    await expect(
      publish(
        request(['linux/s390x=registry.test/acme/builds:multi'], ['registry.test/acme/app:1']),
        reg,
        recordingLogger(),
      ),
    ).rejects.toThrow(
      'is declared linux/s390x but that index has no such image; it has linux/amd64, linux/arm64',
    );
  });

  it('writes nothing in a dry run and reports the digest the push then produces', async () => {
    const reg = new MemoryRegistry();
    const amd = memoryImage(reg, OTHER, { architecture: 'amd64', tag: 'amd64' });
    const req = request(['registry.test/acme/builds:amd64'], ['registry.test/acme/app:1.0']);
    const dry = await publish({ ...req, push: false }, reg, recordingLogger());
    expect(reg.writes).toEqual([]);
    expect(dry.tags).toEqual([{ reference: req.targets[0], status: 'dry-run' }]);
    // Nothing was pushed, so no reference to it is given out.
    expect(dry).toMatchObject({ image: '', images: [] });
    const real = await publish(req, reg, recordingLogger());
    expect(real.digest).toBe(dry.digest);
    expect(Buffer.from(real.manifest).equals(Buffer.from(dry.manifest))).toBe(true);
    expect(reg.repo(APP).manifests.has(amd.digest)).toBe(true);
    const writes = reg.writes.length;
    const again = await publish(req, reg, recordingLogger());
    expect(again.tags.map((t) => t.status)).toEqual(['unchanged']);
    expect(reg.writes).toHaveLength(writes);
  });

  it('finds bare digests in the target repository (push-by-digest matrix builds)', async () => {
    const reg = new MemoryRegistry();
    const amd = memoryImage(reg, APP, { architecture: 'amd64' });
    const arm = memoryImage(reg, APP, { architecture: 'arm64' });
    const result = await publish(
      request([amd.digest, `linux/arm64=${arm.digest}`], ['registry.test/acme/app:1.0']),
      reg,
      recordingLogger(),
    );
    expect(result.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    await expect(
      publish(request([sha256(new Uint8Array([1]))], ['registry.test/acme/app:1.0']), reg, recordingLogger()),
    ).rejects.toThrow(/is in none of the target repositories \(registry.test\/acme\/app\)/);
  });

  it('appends: other platforms stay, a platform given again is replaced in place', async () => {
    const reg = new MemoryRegistry();
    threeArch(reg);
    await publish(request(THREE.slice(0, 2), ['registry.test/acme/app:1.0']), reg, recordingLogger());
    const newArm = memoryImage(reg, OTHER, { architecture: 'arm64', tag: 'arm64-rebuilt', salt: 'rebuilt' });
    const result = await publish(
      request(['registry.test/acme/builds:arm64-rebuilt', THREE[2]!], ['registry.test/acme/app:1.0'], {
        append: true,
      }),
      reg,
      recordingLogger(),
    );
    expect(result.platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    expect(json(result.manifest).manifests[1]!.digest).toBe(newArm.digest);
    expect(reg.tagOf(APP, '1.0')).toBe(result.digest);
  });

  it('appends: warns naming the lost platforms when another run replaced the tag after this one', async () => {
    const reg = new MemoryRegistry();
    threeArch(reg);
    await publish(request([THREE[0]!], ['registry.test/acme/app:1.0']), reg, recordingLogger());
    // Another run appending armv7 read the tag before this run moved it, and writes it just after.
    const other = memoryIndex(reg, APP, [
      descriptorOf(reg.repo(APP).manifests.get(reg.tagOf(APP, '1.0-amd64')!)!, {
        os: 'linux',
        architecture: 'amd64',
      }),
      descriptorOf(reg.repo(APP).manifests.get(reg.tagOf(APP, '1.0-armv7')!)!, {
        os: 'linux',
        architecture: 'arm',
        variant: 'v7',
      }),
    ]);
    // It lands after this run read its tags back: the append check, one HEAD later, is the first to see it.
    const put = reg.putManifest.bind(reg);
    const head = reg.headManifest.bind(reg);
    let readsAfterWrite = Number.NEGATIVE_INFINITY;
    reg.putManifest = async (name, reference, manifest) => {
      if (reference === '1.0') readsAfterWrite = 0;
      return put(name, reference, manifest);
    };
    reg.headManifest = async (name, reference) => {
      if (reference === '1.0' && ++readsAfterWrite === 2) reg.repo(APP).tags.set('1.0', other.digest);
      return head(name, reference);
    };
    const log = recordingLogger();
    const result = await publish(
      request([THREE[1]!], ['registry.test/acme/app:1.0'], { append: true }),
      reg,
      log,
    );
    expect(result.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
      `warning: append: another run replaced registry.test/acme/app:1.0 after this one (now ${other.digest}), ` +
        'and it no longer holds linux/arm64 from this run: runs merging into one tag must not overlap (merge in one ' +
        'job, or give them one concurrency group)',
    ]);
  });

  it('appends: no warning, and one HEAD after the read-back only, when the tag still holds the index', async () => {
    const reg = new MemoryRegistry();
    threeArch(reg);
    await publish(request([THREE[0]!], ['registry.test/acme/app:1.0']), reg, recordingLogger());
    const log = recordingLogger();
    reg.heads.length = 0;
    await publish(request([THREE[1]!], ['registry.test/acme/app:1.0'], { append: true }), reg, log);
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
    // The early tag answer, append's read of the tag, the ask just before the write (append always asks again),
    // the read-back after the move, and append's check.
    expect(reg.heads.filter((head) => head === 'registry.test/acme/app:1.0')).toHaveLength(5);
  });

  it('fills the run record as it goes: a refused tag leaves the step, the index and every tag in it', async () => {
    const reg = new MemoryRegistry();
    threeArch(reg);
    const first = await publish(
      request(THREE.slice(0, 2), ['registry.test/acme/app:1']),
      reg,
      recordingLogger(),
    );
    reg.refusals.set('registry.test/acme/app:latest', new Error('403 DENIED'));
    const record = new RunRecord();
    await expect(
      publish(
        request(THREE, ['registry.test/acme/app:1', 'registry.test/acme/app:latest']),
        reg,
        recordingLogger(),
        record,
      ),
    ).rejects.toThrow('failed to move tag registry.test/acme/app:latest: 403 DENIED');
    expect(record.step).toBe('move tags');
    expect(record.children.map((child) => child.platform.architecture)).toEqual(['amd64', 'arm64', 'arm']);
    expect(record.index).toMatch(/^sha256:/);
    expect(record.tags).toEqual([
      {
        reference: parseReference('registry.test/acme/app:1'),
        status: 'restored',
        previous: first.digest,
        now: first.digest,
      },
      { reference: parseReference('registry.test/acme/app:latest'), status: 'untouched' },
    ]);
    expect(reg.tagOf(APP, '1')).toBe(first.digest);
  });

  it('records the step a failure happened in, with every tag untouched', async () => {
    const reg = new MemoryRegistry();
    const record = new RunRecord();
    await expect(
      publish(
        request(['registry.test/acme/app:nope'], ['registry.test/acme/app:1']),
        reg,
        recordingLogger(),
        record,
      ),
    ).rejects.toThrow();
    expect(record.step).toBe('resolve and verify sources');
    expect(record.tags).toEqual([
      { reference: parseReference('registry.test/acme/app:1'), status: 'untouched' },
    ]);
  });

  it('refuses a Docker list it cannot make, and annotates an OCI index', async () => {
    const reg = new MemoryRegistry();
    threeArch(reg);
    await expect(
      publish(request(THREE, ['registry.test/acme/app:1'], { format: 'docker' }), reg, recordingLogger()),
    ).rejects.toThrow(
      /format docker cannot hold sha256:\w+, a application\/vnd.oci.image.manifest.v1\+json; use format oci or auto/,
    );
    const result = await publish(
      request(THREE, ['registry.test/acme/app:1'], {
        indexAnnotations: { 'org.opencontainers.image.version': '1.0' },
        descriptorAnnotations: [
          { key: 'org.example.arch', value: 'arm', platform: parsePlatform('linux/arm/v7') },
        ],
      }),
      reg,
      recordingLogger(),
    );
    const index = JSON.parse(new TextDecoder().decode(result.manifest));
    expect(index.annotations).toEqual({ 'org.opencontainers.image.version': '1.0' });
    expect(index.manifests.map((m: { annotations?: unknown }) => m.annotations)).toEqual([
      undefined,
      undefined,
      { 'org.example.arch': 'arm' },
    ]);
  });

  it('skips an index entry that is no image manifest, with a warning', async () => {
    const reg = new MemoryRegistry();
    const amd = memoryImage(reg, OTHER, { architecture: 'amd64' });
    const sbom = reg.blob(OTHER, 'application/vnd.example.sbom+json', new TextEncoder().encode('{}'));
    memoryIndex(reg, OTHER, [descriptorOf(amd, { architecture: 'amd64', os: 'linux' }), sbom], {
      tag: 'multi',
    });
    const log = recordingLogger();
    const result = await publish(
      request(['registry.test/acme/builds:multi'], ['registry.test/acme/app:1']),
      reg,
      log,
    );
    expect(json(result.manifest).manifests.map((m) => m.digest)).toEqual([amd.digest]);
    expect(log.lines).toContain(
      `warning: source "registry.test/acme/builds:multi": skipping ${sbom.digest}, of media type application/vnd.example.sbom+json`,
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { sha256Digest } from '../../../testkit/digest.js';
import { seedImage, seedIndex, type ImageFormat } from '../../../testkit/images.js';
import { parseJsonBytes } from '../../../testkit/json.js';
import { MEDIA_TYPES } from '../../../testkit/media-types.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';

interface Manifest {
  mediaType: string;
  config: { mediaType: string; digest: string; size: number };
  layers: Array<{ mediaType: string; digest: string; size: number }>;
}
interface Index {
  mediaType: string;
  manifests: Array<{ mediaType: string; digest: string; size: number; platform?: Record<string, string> }>;
}
interface Config {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  rootfs: { type: string; diff_ids: string[] };
}

const TYPES = {
  oci: { manifest: MEDIA_TYPES.ociManifest, index: MEDIA_TYPES.ociIndex, layer: MEDIA_TYPES.ociLayerGzip },
  docker: {
    manifest: MEDIA_TYPES.dockerManifest,
    index: MEDIA_TYPES.dockerManifestList,
    layer: MEDIA_TYPES.dockerLayerGzip,
  },
} as const;

let registry: TestRegistry;
let raw: RawRegistry;

beforeAll(async () => {
  registry = await startRegistry();
  raw = new RawRegistry(registry);
});

afterAll(async () => {
  await registry.stop();
});

describe.each<ImageFormat>(['oci', 'docker'])('a seeded %s image', (format) => {
  const repo = `harness/plain-${format}`;

  it('reads back byte for byte, by tag and by digest', async () => {
    const image = await seedImage(raw, { repo, tag: 'arm64', architecture: 'arm64', variant: 'v8', format });

    expect(image.mediaType).toBe(TYPES[format].manifest);
    expect(image.digest).toBe(sha256Digest(image.bytes));
    expect(image.size).toBe(image.bytes.byteLength);
    for (const reference of ['arm64', image.digest]) {
      const fetched = await raw.getManifest(repo, reference);
      expect(fetched).toMatchObject({ status: 200, mediaType: image.mediaType, digest: image.digest });
      expect(Buffer.from(fetched.bytes).equals(Buffer.from(image.bytes))).toBe(true);
    }
    const manifest = parseJsonBytes<Manifest>(image.bytes);
    expect(manifest.mediaType).toBe(image.mediaType);
    expect(manifest.config.digest).toBe(image.configDigest);
    expect(manifest.layers.map((layer) => [layer.mediaType, layer.digest])).toEqual([
      [TYPES[format].layer, image.layerDigests[0]],
    ]);
  });

  it('has a config blob that states the platform and the layer diff_id', async () => {
    const image = await seedImage(raw, {
      repo,
      architecture: 'arm',
      variant: 'v7',
      osVersion: '6.1',
      format,
    });

    const config = parseJsonBytes<Config>(await raw.getBlob(repo, image.configDigest));
    expect(config).toMatchObject({ architecture: 'arm', os: 'linux', variant: 'v7', 'os.version': '6.1' });
    expect(image.platform).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7', osVersion: '6.1' });
    const layer = await raw.getBlob(repo, image.layerDigests[0] ?? '');
    expect(sha256Digest(layer)).toBe(image.layerDigests[0]);
    const tar = gunzipSync(layer);
    expect(config.rootfs).toEqual({ type: 'layers', diff_ids: [sha256Digest(tar)] });
    // GNU tar as the independent reader of the hand-written archive.
    expect(execFileSync('tar', ['-tzf', '-'], { input: layer }).toString()).toBe('platform.txt\n');
    expect(execFileSync('tar', ['-xzOf', '-', 'platform.txt'], { input: layer }).toString()).toBe(
      'linux/arm/v7 6.1\n',
    );
  });
});

describe('seedImage', () => {
  const repo = 'harness/determinism';

  it('gives the same digest for the same options and a different one per salt or platform', async () => {
    const [first, again, salted, otherArch] = await Promise.all([
      seedImage(raw, { repo, architecture: 'amd64' }),
      seedImage(raw, { repo, architecture: 'amd64' }),
      seedImage(raw, { repo, architecture: 'amd64', salt: 'run-2' }),
      seedImage(raw, { repo, architecture: 's390x' }),
    ]);

    expect(again.digest).toBe(first.digest);
    expect(new Set([first.digest, salted.digest, otherArch.digest]).size).toBe(3);
  });

  it('pads the layer to layerBytes with filler gzip cannot shrink', async () => {
    const image = await seedImage(raw, { repo, architecture: 'riscv64', layerBytes: 256 * 1024 });

    const layer = await raw.getBlob(repo, image.layerDigests[0] ?? '');
    expect(layer.byteLength).toBeGreaterThan(256 * 1024);
    expect(execFileSync('tar', ['-xzOf', '-', 'platform.txt'], { input: layer }).byteLength).toBe(256 * 1024);
  });
});

describe.each<ImageFormat>(['oci', 'docker'])('a seeded %s index', (format) => {
  const repo = `harness/index-${format}`;

  it('references its children with their platforms and reads back byte for byte', async () => {
    const children = await Promise.all([
      seedImage(raw, { repo, architecture: 'amd64', format }),
      seedImage(raw, { repo, architecture: 'arm64', variant: 'v8', format }),
    ]);
    const index = await seedIndex(raw, { repo, tag: 'multi', format, children });

    const fetched = await raw.getManifest(repo, 'multi');
    expect(fetched).toMatchObject({ status: 200, mediaType: TYPES[format].index, digest: index.digest });
    expect(Buffer.from(fetched.bytes).equals(Buffer.from(index.bytes))).toBe(true);
    expect(parseJsonBytes<Index>(fetched.bytes)).toEqual({
      schemaVersion: 2,
      mediaType: TYPES[format].index,
      manifests: [
        {
          mediaType: TYPES[format].manifest,
          digest: children[0].digest,
          size: children[0].size,
          platform: { architecture: 'amd64', os: 'linux' },
        },
        {
          mediaType: TYPES[format].manifest,
          digest: children[1].digest,
          size: children[1].size,
          platform: { architecture: 'arm64', os: 'linux', variant: 'v8' },
        },
      ],
    });
  });

  it('states the platforms it is told to, or none', async () => {
    const child = await seedImage(raw, { repo, architecture: 'amd64', format, salt: 'lying' });
    const other = await seedImage(raw, { repo, architecture: 'ppc64le', format, salt: 'lying' });
    const lie = { os: 'linux', architecture: 'arm64', variant: 'v8' };
    const index = await seedIndex(raw, { repo, format, children: [child, other], platforms: [lie, null] });

    const stored = parseJsonBytes<Index>((await raw.getManifest(repo, index.digest)).bytes);
    expect(stored.manifests.map((descriptor) => descriptor.platform)).toEqual([
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
      undefined,
    ]);
  });
});

describe('seedIndex', () => {
  const cases: Array<[string, string, 'fromChildren' | [], RegExp]> = [
    [
      'a child from another repository',
      'harness/index-target',
      'fromChildren',
      /is not in harness\/index-target/,
    ],
    [
      'a platform count that does not match the children',
      'harness/elsewhere',
      [],
      /0 platforms for 1 children/,
    ],
  ];
  it.each(cases)('rejects %s', async (_case, repo, platforms, message) => {
    const child = await seedImage(raw, { repo: 'harness/elsewhere', architecture: 'amd64' });

    await expect(seedIndex(raw, { repo, children: [child], platforms })).rejects.toThrow(message);
  });
});

describe('RawRegistry', () => {
  const repo = 'harness/inspect';

  it('reports presence of manifests and blobs, and lists tags', async () => {
    const image = await seedImage(raw, { repo, tag: 'present', architecture: 'amd64' });
    const missing = sha256Digest(Buffer.from('never pushed'));

    await expect(raw.hasManifest(repo, 'present')).resolves.toBe(true);
    await expect(raw.hasManifest(repo, image.digest)).resolves.toBe(true);
    await expect(raw.hasManifest(repo, 'absent')).resolves.toBe(false);
    await expect(raw.hasManifest(repo, missing)).resolves.toBe(false);
    await expect(raw.hasBlob(repo, image.configDigest)).resolves.toBe(true);
    await expect(raw.hasBlob(repo, missing)).resolves.toBe(false);
    await expect(raw.listTags(repo)).resolves.toEqual(['present']);
    await expect(raw.listTags('harness/never-created')).resolves.toEqual([]);
    await expect(raw.getManifest(repo, 'absent')).resolves.toMatchObject({ status: 404 });
    await expect(raw.getBlob(repo, missing)).rejects.toMatchObject({
      name: 'UnexpectedStatusError',
      status: 404,
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { OciLayoutError } from '../../../src/layout/layout-errors.js';
import { type OciLayout, openOciLayout } from '../../../src/layout/oci-layout.js';
import { type Digest, sha256Digest } from '../../../src/oci/digest.js';
import type { Descriptor } from '../../../src/oci/manifest.js';
import { MediaType } from '../../../src/oci/media-types.js';
import { type TarEntry, paxRecords, tarOf } from '../../../testkit/tar.js';

/** Layout files by name, in the order a tar holds them. */
type Files = Array<[name: string, content: Uint8Array]>;
type Form = 'directory' | 'tar';

const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
const blobName = (digest: string): string => `blobs/sha256/${digest.slice('sha256:'.length)}`;
const descriptorOf = (mediaType: string, bytes: Uint8Array): Descriptor => ({
  mediaType,
  digest: sha256Digest(bytes),
  size: bytes.byteLength,
});
const bytesOf = (content: string | Uint8Array): Buffer => Buffer.from(content);

const config = json({ architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
// Spans several tar blocks and does not end on a block boundary.
const layer = Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) % 251);
const empty = new Uint8Array();
const configDescriptor = descriptorOf(MediaType.OciConfig, config);
const layerDescriptor = descriptorOf(MediaType.OciLayerGzip, layer);
const emptyDescriptor = descriptorOf(MediaType.OciLayer, empty);
const manifest = json({
  schemaVersion: 2,
  mediaType: MediaType.OciManifest,
  config: configDescriptor,
  layers: [layerDescriptor, emptyDescriptor],
});
const manifestDigest = sha256Digest(manifest);
const index = json({
  schemaVersion: 2,
  mediaType: MediaType.OciIndex,
  manifests: [
    {
      ...descriptorOf(MediaType.OciManifest, manifest),
      annotations: { 'org.opencontainers.image.ref.name': '1.0' },
    },
  ],
});
const LAYOUT_MARKER = json({ imageLayoutVersion: '1.0.0' });
const MISSING: Descriptor = descriptorOf(MediaType.OciLayerGzip, bytesOf('not stored anywhere'));

/** What buildx writes: the marker, the blobs, index.json. */
function layoutFiles(overrides: Record<string, Uint8Array | null> = {}): Files {
  const files: Files = [
    ['oci-layout', LAYOUT_MARKER],
    ...[config, layer, empty, manifest].map((blob): [string, Uint8Array] => [
      blobName(sha256Digest(blob)),
      blob,
    ]),
    ['index.json', index],
  ];
  const replaced = files.map(([name, content]): [string, Uint8Array | null] => [
    name,
    name in overrides ? (overrides[name] ?? null) : content,
  ]);
  const added = Object.entries(overrides).filter(([name]) => !files.some(([existing]) => existing === name));
  return [...replaced, ...added].filter((file): file is [string, Uint8Array] => file[1] !== null);
}

const tarEntries = (files: Files, prefix = ''): TarEntry[] =>
  files.map(([name, content]) => ({ name: `${prefix}${name}`, content }));

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'multiarch-publish-layout-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshPath(name: string): Promise<string> {
  return join(await mkdtemp(join(root, 'case-')), name);
}

async function writeDirectory(files: Files): Promise<string> {
  const dir = await freshPath('layout');
  for (const [name, content] of files) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

async function writeTar(archive: Uint8Array): Promise<string> {
  const path = await freshPath('layout.tar');
  await writeFile(path, archive);
  return path;
}

const write = (form: Form, files: Files): Promise<string> =>
  form === 'directory' ? writeDirectory(files) : writeTar(tarOf(tarEntries(files)));

async function withLayout<T>(path: string, use: (layout: OciLayout) => Promise<T>): Promise<T> {
  const layout = await openOciLayout(path);
  try {
    return await use(layout);
  } finally {
    await layout.close();
  }
}

/** The error `attempt` throws (it must throw). */
async function failure(attempt: () => Promise<unknown>): Promise<Error> {
  try {
    await attempt();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure, got none');
}

const FORMS: Form[] = ['directory', 'tar'];

describe.each(FORMS)('a layout %s', (form) => {
  it('gives index.json as stored, as an OCI index with the digest of its bytes', async () => {
    const path = await write(form, layoutFiles());
    await withLayout(path, async (layout) => {
      expect(layout.name).toBe(`oci-layout:${path}`);
      const raw = await layout.index();
      expect(bytesOf(raw.bytes)).toEqual(bytesOf(index));
      expect(raw).toMatchObject({ mediaType: MediaType.OciIndex, digest: sha256Digest(index) });
    });
  });

  it('gives a manifest by digest with the media type it declares', async () => {
    await withLayout(await write(form, layoutFiles()), async (layout) => {
      const raw = await layout.manifest(manifestDigest);
      expect(bytesOf(raw.bytes)).toEqual(bytesOf(manifest));
      expect(raw).toMatchObject({ mediaType: MediaType.OciManifest, digest: manifestDigest });
    });
  });

  it('reads a config blob and streams layers, the empty one included', async () => {
    await withLayout(await write(form, layoutFiles()), async (layout) => {
      expect(bytesOf(await layout.readBlob(configDescriptor, 1024))).toEqual(bytesOf(config));
      expect(await buffer(await layout.openBlob(layerDescriptor))).toEqual(bytesOf(layer));
      expect(await buffer(await layout.openBlob(emptyDescriptor))).toEqual(bytesOf(empty));
    });
  });

  it('reads a config blob of exactly maxBytes', async () => {
    await withLayout(await write(form, layoutFiles()), async (layout) => {
      expect(bytesOf(await layout.readBlob(configDescriptor, config.byteLength))).toEqual(bytesOf(config));
    });
  });

  it('names the layout and the digest of a blob it does not hold', async () => {
    await withLayout(await write(form, layoutFiles()), async (layout) => {
      const notInLayout = `from ${layout.name}: it is not in the layout (no ${blobName(MISSING.digest)})`;
      await expect(layout.openBlob(MISSING)).rejects.toThrow(
        `failed to open blob ${MISSING.digest} ${notInLayout}`,
      );
      await expect(layout.readBlob(MISSING, 1024)).rejects.toThrow(
        `failed to read blob ${MISSING.digest} ${notInLayout}`,
      );
      await expect(layout.manifest(MISSING.digest)).rejects.toThrow(
        `failed to read manifest ${MISSING.digest} ${notInLayout}`,
      );
    });
  });

  it('refuses a blob whose stored size differs from its descriptor', async () => {
    await withLayout(await write(form, layoutFiles()), async (layout) => {
      const wrongSize = { ...layerDescriptor, size: layer.byteLength + 1 };
      const reason = `it is stored with ${layer.byteLength} bytes but its descriptor says ${layer.byteLength + 1}`;
      await expect(layout.openBlob(wrongSize)).rejects.toThrow(
        `failed to open blob ${layerDescriptor.digest} from ${layout.name}: ${reason}`,
      );
      await expect(layout.readBlob(wrongSize, 10_000)).rejects.toThrow(reason);
    });
  });

  it('refuses to read a blob larger than maxBytes', async () => {
    await withLayout(await write(form, layoutFiles()), async (layout) => {
      await expect(layout.readBlob(layerDescriptor, 2999)).rejects.toThrow(
        `failed to read blob ${layerDescriptor.digest} from ${layout.name}: its descriptor says 3000 bytes, ` +
          'more than the 2999 allowed',
      );
    });
  });

  it('refuses blobs and manifests whose bytes do not match their digest', async () => {
    const tampered = bytesOf(config).fill(0x20, 0, 1);
    const tamperedManifest = bytesOf(manifest).fill(0x20, manifest.byteLength - 1);
    const files = layoutFiles({
      [blobName(configDescriptor.digest)]: tampered,
      [blobName(manifestDigest)]: tamperedManifest,
    });
    await withLayout(await write(form, files), async (layout) => {
      const configFailure = await failure(() => layout.readBlob(configDescriptor, 1024));
      expect(configFailure).toBeInstanceOf(OciLayoutError);
      expect(configFailure.message).toBe(
        `failed to read blob ${configDescriptor.digest} from ${layout.name}: failed to verify the stored bytes: ` +
          `content has digest ${sha256Digest(tampered)}, expected ${configDescriptor.digest}`,
      );
      await expect(layout.manifest(manifestDigest)).rejects.toThrow(
        `content has digest ${sha256Digest(tamperedManifest)}, expected ${manifestDigest}`,
      );
    });
  });

  it('refuses a manifest without a mediaType field, naming its digest', async () => {
    const bare = json({ schemaVersion: 2, config: configDescriptor, layers: [layerDescriptor] });
    const bareDigest = sha256Digest(bare);
    await withLayout(await write(form, layoutFiles({ [blobName(bareDigest)]: bare })), async (layout) => {
      await expect(layout.manifest(bareDigest)).rejects.toThrow(
        `failed to read manifest ${bareDigest} from ${layout.name}: "mediaType" must be a non-empty string, ` +
          'got nothing (a manifest in an image layout must name its media type)',
      );
    });
  });

  it('refuses a manifest blob that is not JSON', async () => {
    const text = bytesOf('not json');
    const textDigest = sha256Digest(text);
    await withLayout(await write(form, layoutFiles({ [blobName(textDigest)]: text })), async (layout) => {
      await expect(layout.manifest(textDigest)).rejects.toThrow(
        `failed to read manifest ${textDigest} from ${layout.name}: not valid UTF-8 JSON`,
      );
    });
  });

  it('refuses a manifest over 8 MiB', async () => {
    const huge = Buffer.alloc(8 * 1024 * 1024 + 1, 0x20);
    const hugeDigest = sha256Digest(huge);
    await withLayout(await write(form, layoutFiles({ [blobName(hugeDigest)]: huge })), async (layout) => {
      await expect(layout.manifest(hugeDigest)).rejects.toThrow(
        `failed to read manifest ${hugeDigest} from ${layout.name}: it is 8388609 bytes, more than the 8388608 allowed`,
      );
    });
  });

  describe('rejects digests that could reach outside blobs/', () => {
    // A file a naive join of `blobs/sha256/` and the digest's hex would reach.
    const outside = bytesOf('not a blob');
    const traversals = [
      'sha256:../../outside',
      'sha256:../../../../../../etc/passwd',
      `sha256:../${'0'.repeat(61)}`,
      `sha512:../../outside`,
      '../outside',
    ] as Digest[];

    it.each(traversals)('%s', async (digest) => {
      const path = await write(form, layoutFiles({ outside }));
      await withLayout(path, async (layout) => {
        const descriptor = { ...configDescriptor, digest, size: outside.byteLength };
        const invalid = `from ${layout.name}: invalid digest "${digest}"`;
        await expect(layout.readBlob(descriptor, 1024)).rejects.toThrow(
          `failed to read blob ${digest} ${invalid}`,
        );
        await expect(layout.manifest(digest)).rejects.toThrow(`failed to read manifest ${digest} ${invalid}`);
        await expect(layout.openBlob(descriptor)).rejects.toThrow(`failed to open blob ${digest} ${invalid}`);
      });
    });
  });

  it.each([
    [
      'an oci-layout file of version 2',
      json({ imageLayoutVersion: '2.0.0' }),
      'imageLayoutVersion "2.0.0", expected 1.x',
    ],
    ['no oci-layout file', null, 'it has no oci-layout file'],
    ['an oci-layout file that is not JSON', bytesOf('1.0.0'), 'its oci-layout file: not valid UTF-8 JSON'],
    ['an oci-layout file without a version', json({}), 'its oci-layout file: "imageLayoutVersion" must be'],
    [
      'a numeric version',
      json({ imageLayoutVersion: 1 }),
      '"imageLayoutVersion" must be a non-empty string, got 1',
    ],
  ])('refuses %s', async (_label, marker, reason) => {
    const path = await write(form, layoutFiles({ 'oci-layout': marker }));
    await expect(openOciLayout(path)).rejects.toThrow(`oci-layout:${path} is not an OCI image layout: `);
    await expect(openOciLayout(path)).rejects.toThrow(reason);
  });

  it('accepts a later 1.x version', async () => {
    const path = await write(form, layoutFiles({ 'oci-layout': json({ imageLayoutVersion: '1.1.0' }) }));
    await withLayout(path, async (layout) => {
      expect(bytesOf((await layout.index()).bytes)).toEqual(bytesOf(index));
    });
  });

  it('says when there is no index.json', async () => {
    const path = await write(form, layoutFiles({ 'index.json': null }));
    await expect(openOciLayout(path)).rejects.toThrow(`no index.json in oci-layout:${path}`);
  });

  it('refuses an index.json that is not an image index', async () => {
    const path = await write(form, layoutFiles({ 'index.json': json({ schemaVersion: 2, manifests: {} }) }));
    await expect(openOciLayout(path)).rejects.toThrow(
      `invalid manifest index.json in oci-layout:${path}: "manifests" must be an array, got {}`,
    );
  });
});

describe('opening', () => {
  it('names a path that does not exist', async () => {
    const path = join(root, 'no-such-layout');
    const error = await failure(() => openOciLayout(path));
    expect(error).toBeInstanceOf(OciLayoutError);
    expect(error.message).toMatch(`failed to open oci-layout:${path}: ENOENT`);
  });

  it('tells a directory without a layout', async () => {
    const path = await freshPath('empty');
    await mkdir(path);
    await expect(openOciLayout(path)).rejects.toThrow(
      `oci-layout:${path} is not an OCI image layout: it has no oci-layout file`,
    );
  });
});

describe('a layout tar', () => {
  const open = async (archive: Uint8Array): Promise<OciLayout> => openOciLayout(await writeTar(archive));

  /** Opens the tar and reads everything the standard layout holds. */
  async function readEverything(archive: Uint8Array): Promise<Record<string, Buffer>> {
    const layout = await open(archive);
    try {
      return {
        index: bytesOf((await layout.index()).bytes),
        manifest: bytesOf((await layout.manifest(manifestDigest)).bytes),
        config: bytesOf(await layout.readBlob(configDescriptor, 1024)),
        layer: await buffer(await layout.openBlob(layerDescriptor)),
      };
    } finally {
      await layout.close();
    }
  }
  const everything = {
    index: bytesOf(index),
    manifest: bytesOf(manifest),
    config: bytesOf(config),
    layer: bytesOf(layer),
  };

  const directories: TarEntry[] = ['./', './blobs/', './blobs/sha256/'].map((name) => ({
    name,
    content: empty,
    type: 'dir',
  }));
  const longLayerName = `${'./'.repeat(60)}${blobName(layerDescriptor.digest)}`;
  const [marker, configFile, layerFile, ...rest] = layoutFiles();
  const withLayerAs = (...layerEntries: TarEntry[]): Uint8Array =>
    tarOf([...tarEntries([marker!, configFile!]), ...layerEntries, ...tarEntries(rest)]);

  it.each([
    [
      'with ./-prefixed names and directory entries',
      tarOf([...directories, ...tarEntries(layoutFiles(), './')]),
    ],
    ['with /-prefixed names', tarOf(tarEntries(layoutFiles(), '/'))],
    [
      'with a pax header giving a long path and the size',
      withLayerAs(
        { name: 'PaxHeaders/layer', type: 'pax', content: paxRecords({ path: longLayerName, size: '3000' }) },
        { name: 'truncated-name', content: layer, sizeField: 0 },
      ),
    ],
    [
      'with a GNU long name',
      withLayerAs(
        { name: '././@LongLink', type: 'gnu-long-name', content: bytesOf(`${longLayerName}\0`) },
        { name: 'truncated-name', content: layer },
      ),
    ],
    ['with a name in the ustar prefix field', withLayerAs({ name: longLayerName, content: layer })],
    ['with a base-256 size field', withLayerAs({ name: layerFile![0], content: layer, base256Size: true })],
    [
      'with a global pax header, whose records do not rename later entries',
      tarOf([
        {
          name: 'pax_global_header',
          type: 'pax-global',
          content: paxRecords({ path: 'elsewhere', size: '1' }),
        },
        ...tarEntries(layoutFiles()),
      ]),
    ],
    [
      'where a name comes twice and the last entry counts',
      tarOf(tarEntries([['index.json', bytesOf('{}')], ...layoutFiles()])),
    ],
    [
      'with a directory entry whose size field is not zero (it has no content all the same)',
      tarOf([
        { name: './blobs/', type: 'dir', content: empty, sizeField: 512 },
        ...tarEntries(layoutFiles()),
      ]),
    ],
    ['without the end-of-archive blocks', bytesOf(tarOf(tarEntries(layoutFiles()))).subarray(0, -1024)],
  ])('opens a tar %s', async (_label, archive) => {
    expect(await readEverything(archive)).toEqual(everything);
  });

  it('applies pax records to the one entry right after them', async () => {
    const archive = withLayerAs(
      { name: 'PaxHeaders/layer', type: 'pax', content: paxRecords({ path: 'blobs/sha256/renamed' }) },
      { name: layerFile![0], content: layer },
    );
    const layout = await open(archive);
    try {
      await expect(layout.openBlob(layerDescriptor)).rejects.toThrow('it is not in the layout');
      expect(bytesOf((await layout.manifest(manifestDigest)).bytes)).toEqual(bytesOf(manifest));
    } finally {
      await layout.close();
    }
  });

  it.each([
    // oci-layout and the config take two blocks each; the layer's header starts at byte 2048.
    [
      'cut inside the content of an entry',
      (tar: Buffer) => tar.subarray(0, 2048 + 512 + 100),
      'is truncated: the entry',
    ],
    [
      'cut inside a header',
      (tar: Buffer) => tar.subarray(0, 2048 + 100),
      '100 bytes into the header at byte 2048',
    ],
    ['gzip-compressed', (tar: Buffer) => gzipSync(tar), 'gzip-compressed'],
    [
      'damaged in a header',
      (tar: Buffer) => tar.fill(0x41, 1024, 1030),
      'the header at byte 1024 has checksum',
    ],
    [
      'not a tar',
      () => Buffer.alloc(4096, 'not a tar archive\n'),
      'invalid checksum field of the header at byte 0',
    ],
  ])('refuses a tar %s', async (_label, damage, reason) => {
    const path = await writeTar(damage(bytesOf(tarOf(tarEntries(layoutFiles())))));
    const error = await failure(() => openOciLayout(path));
    expect(error).toBeInstanceOf(OciLayoutError);
    expect(error.message).toMatch(
      `oci-layout:${path} is not an OCI image layout: not a readable tar archive: `,
    );
    expect(error.message).toMatch(reason);
  });

  it('says when the tar shrank after it was opened', async () => {
    const path = await writeTar(tarOf(tarEntries(layoutFiles())));
    await withLayout(path, async (layout) => {
      await truncate(path, 0);
      await expect(layout.readBlob(configDescriptor, 1024)).rejects.toThrow(
        `failed to read blob ${configDescriptor.digest} from ${layout.name}: the file ends 0 bytes into the`,
      );
    });
  });
});

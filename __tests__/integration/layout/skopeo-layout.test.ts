// OCI image layouts written by skopeo, the independent producer, as a directory (`oci:`) and as a tar
// (`oci-archive:`): what our reader gives must be what the registry they were copied from serves.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { type OciLayout, openOciLayout } from '../../../src/layout/oci-layout.js';
import type { Digest } from '../../../src/oci/digest.js';
import type { Descriptor } from '../../../src/oci/manifest.js';
import { seedBuildxIndex, seedImage } from '../../../testkit/images.js';
import { parseJsonBytes } from '../../../testkit/json.js';
import { MEDIA_TYPES } from '../../../testkit/media-types.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';

const run = promisify(execFile);
const repo = 'layout/skopeo';
const REF_NAME = 'org.opencontainers.image.ref.name';
const CONFIG_LIMIT = 1024 * 1024;
// Several tar blocks and several stream chunks; the filler is incompressible, so the gzip'd layer is as large.
const LAYER_BYTES = 300_000;

type Transport = 'oci' | 'oci-archive';

let registry: TestRegistry;
let raw: RawRegistry;
let dir: string;

beforeAll(async () => {
  registry = await startRegistry();
  raw = new RawRegistry(registry);
  dir = await mkdtemp(join(tmpdir(), 'multiarch-publish-skopeo-layout-'));
});

afterAll(async () => {
  await registry.stop();
  await rm(dir, { recursive: true, force: true });
});

const bytesOf = (bytes: Uint8Array): Buffer => Buffer.from(bytes);

/** `skopeo copy` of `tag` into a layout directory or tar under the name `refName`; returns the layout's path. */
async function exportLayout(
  transport: Transport,
  tag: string,
  refName: string,
  all: boolean,
): Promise<string> {
  const path = join(dir, transport === 'oci' ? `${tag}-layout` : `${tag}.tar`);
  const source = `docker://${registry.host}/${repo}:${tag}`;
  await run(
    'skopeo',
    ['copy', ...(all ? ['--all'] : []), '--src-tls-verify=false', source, `${transport}:${path}:${refName}`],
    {
      timeout: 60_000,
    },
  );
  return path;
}

async function withLayout(path: string, use: (layout: OciLayout) => Promise<void>): Promise<void> {
  const layout = await openOciLayout(path);
  try {
    await use(layout);
  } finally {
    await layout.close();
  }
}

/** The manifests index.json lists. */
async function indexEntries(layout: OciLayout): Promise<Descriptor[]> {
  return parseJsonBytes<{ manifests: Descriptor[] }>((await layout.index()).bytes).manifests;
}

/** The manifest, its config and its layers read from the layout are the bytes the registry serves. */
async function expectImageAsServed(layout: OciLayout, digest: string): Promise<void> {
  const served = await raw.getManifest(repo, digest);
  const stored = await layout.manifest(digest as Digest);
  expect(bytesOf(stored.bytes)).toEqual(bytesOf(served.bytes));
  expect(stored).toMatchObject({ mediaType: served.mediaType, digest });
  const { config, layers } = parseJsonBytes<{ config: Descriptor; layers: Descriptor[] }>(served.bytes);
  expect(bytesOf(await layout.readBlob(config, CONFIG_LIMIT))).toEqual(
    bytesOf(await raw.getBlob(repo, config.digest)),
  );
  for (const layer of layers) {
    expect(await buffer(await layout.openBlob(layer))).toEqual(
      bytesOf(await raw.getBlob(repo, layer.digest)),
    );
  }
}

describe.each<Transport>(['oci', 'oci-archive'])('a layout skopeo wrote with %s:', (transport) => {
  it('holds a single image, listed in index.json under its ref name', async () => {
    const image = await seedImage(raw, {
      repo,
      tag: `image-${transport}`,
      architecture: 'arm64',
      variant: 'v8',
      layerBytes: LAYER_BYTES,
      salt: transport,
    });
    const path = await exportLayout(transport, `image-${transport}`, '1.0', false);

    await withLayout(path, async (layout) => {
      expect(layout.name).toBe(`oci-layout:${path}`);
      expect(await indexEntries(layout)).toEqual([
        {
          mediaType: MEDIA_TYPES.ociManifest,
          digest: image.digest,
          size: image.size,
          annotations: { [REF_NAME]: '1.0' },
        },
      ]);
      await expectImageAsServed(layout, image.digest);
    });
  });

  it('holds a buildx index with its images and attestations (skopeo copy --all)', async () => {
    const seeded = await seedBuildxIndex(raw, {
      repo,
      tag: `buildx-${transport}`,
      images: [{ architecture: 'amd64' }, { architecture: 'arm', variant: 'v7' }],
      salt: transport,
    });
    const path = await exportLayout(transport, `buildx-${transport}`, 'multi', true);

    await withLayout(path, async (layout) => {
      expect(await indexEntries(layout)).toEqual([
        {
          mediaType: MEDIA_TYPES.ociIndex,
          digest: seeded.digest,
          size: seeded.size,
          annotations: { [REF_NAME]: 'multi' },
        },
      ]);
      const index = await layout.manifest(seeded.digest as Digest);
      expect(bytesOf(index.bytes)).toEqual(bytesOf(seeded.bytes));
      expect(index.mediaType).toBe(MEDIA_TYPES.ociIndex);
      for (const child of [...seeded.children, ...seeded.attestations]) {
        await expectImageAsServed(layout, child.digest);
      }
    });
  });
});

// The client's manifest and config reads and writes against a real distribution registry (no auth), checked
// with the harness's raw client.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Digest } from '../../../src/oci/digest.js';
import type { RawManifest } from '../../../src/oci/manifest.js';
import type { RepositoryName } from '../../../src/oci/reference.js';
import type { RegistryApi } from '../../../src/registry/api.js';
import { createRegistryClient } from '../../../src/registry/create-client.js';
import { staticStore } from '../../../src/registry/credentials/chain.js';
import { RegistryError } from '../../../src/registry/http/registry-error.js';
import { sha256Digest } from '../../../testkit/digest.js';
import { seedImage, seedIndex, type SeededImage, type SeededIndex } from '../../../testkit/images.js';
import { jsonBytes, parseJsonBytes } from '../../../testkit/json.js';
import { MEDIA_TYPES } from '../../../testkit/media-types.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { recordingDispatcher, type RecordingDispatcher } from '../../support/recording-dispatcher.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { recordingLogger } from '../../support/loggers.js';
import { rows } from '../../support/rows.js';

const REPO = 'client/manifests';

let registry: TestRegistry;
let raw: RawRegistry;
let client: RegistryApi;
let wire: RecordingDispatcher;
let repo: RepositoryName;
const seeded = new Map<string, SeededImage | SeededIndex>();

beforeAll(async () => {
  registry = await startRegistry();
  raw = new RawRegistry(registry);
  repo = { registry: registry.host, repository: REPO };
  wire = recordingDispatcher();
  // No insecure-registries entry: a loopback registry is found over http after https gets no answer.
  client = createRegistryClient({
    credentials: staticStore([]),
    insecureRegistries: [],
    logger: recordingLogger(),
    onSecret: () => undefined,
    dispatcher: wire.dispatcher,
  });
  const ociAmd64 = await seedImage(raw, { repo: REPO, tag: 'oci-image', architecture: 'amd64' });
  const ociArm64 = await seedImage(raw, { repo: REPO, architecture: 'arm64', variant: 'v8' });
  const dockerAmd64 = await seedImage(raw, {
    repo: REPO,
    tag: 'docker-image',
    architecture: 'amd64',
    format: 'docker',
  });
  const dockerArm = await seedImage(raw, {
    repo: REPO,
    architecture: 'arm',
    variant: 'v7',
    format: 'docker',
  });
  seeded.set('OCI image manifest', ociAmd64);
  seeded.set('Docker schema 2 manifest', dockerAmd64);
  seeded.set(
    'OCI image index',
    await seedIndex(raw, { repo: REPO, tag: 'oci-index', children: [ociAmd64, ociArm64] }),
  );
  seeded.set(
    'Docker manifest list',
    await seedIndex(raw, {
      repo: REPO,
      tag: 'docker-list',
      format: 'docker',
      children: [dockerAmd64, dockerArm],
    }),
  );
});

afterAll(async () => {
  await client.close();
  await wire.close();
  await registry.stop();
});

const TYPES = rows([
  ['OCI image manifest', 'oci-image', MEDIA_TYPES.ociManifest],
  ['Docker schema 2 manifest', 'docker-image', MEDIA_TYPES.dockerManifest],
  ['OCI image index', 'oci-index', MEDIA_TYPES.ociIndex],
  ['Docker manifest list', 'docker-list', MEDIA_TYPES.dockerManifestList],
]);

function seededAs(kind: string): SeededImage | SeededIndex {
  const found = seeded.get(kind);
  if (found === undefined) throw new Error(`nothing seeded as ${kind}`);
  return found;
}

describe.each(TYPES)('%s', (kind, tag, mediaType) => {
  it.each(['tag', 'digest'] as const)('is found by %s with one HEAD', async (by) => {
    const manifest = seededAs(kind);
    const reference = by === 'tag' ? tag : manifest.digest;
    await client.headManifest(repo, 'warm-up');
    const start = wire.sent.length;

    await expect(client.headManifest(repo, reference)).resolves.toEqual({
      mediaType,
      digest: manifest.digest,
      size: manifest.size,
    });
    expect(wire.sent.slice(start)).toEqual([
      expect.objectContaining({
        method: 'HEAD',
        origin: registry.url,
        path: `/v2/${REPO}/manifests/${reference}`,
      }),
    ]);
  });

  it.each(['tag', 'digest'] as const)('is read byte for byte by %s', async (by) => {
    const manifest = seededAs(kind);
    const reference = by === 'tag' ? tag : manifest.digest;

    const read = await client.source(repo).manifest(reference);

    expect(read.mediaType).toBe(mediaType);
    expect(read.digest).toBe(manifest.digest);
    expect(Buffer.from(read.bytes).equals(Buffer.from(manifest.bytes))).toBe(true);
  });
});

describe('a manifest that is not there', () => {
  it('is undefined to HEAD, by tag and by digest', async () => {
    await expect(client.headManifest(repo, 'missing')).resolves.toBeUndefined();
    await expect(
      client.headManifest(repo, sha256Digest(jsonBytes({ absent: true })) as Digest),
    ).resolves.toBe(undefined);
  });

  it('is an error naming it and the registry’s code to GET', async () => {
    const reading = client.source(repo).manifest('missing');

    await expect(reading).rejects.toThrow(RegistryError);
    await expect(reading).rejects.toMatchObject({
      status: 404,
      codes: ['MANIFEST_UNKNOWN'],
      message: `failed to read manifest ${registry.host}/${REPO}:missing: 404 Not Found (MANIFEST_UNKNOWN: manifest unknown)`,
    });
  });
});

describe('config blobs', () => {
  it.each([
    ['OCI image manifest', 'amd64'],
    ['Docker schema 2 manifest', 'amd64'],
  ])('of the %s are read and verified', async (kind, architecture) => {
    const image = seededAs(kind);
    const { config } = parseJsonBytes<{ config: { mediaType: string; digest: Digest; size: number } }>(
      image.bytes,
    );

    const bytes = await client.source(repo).readBlob(config, 1024 * 1024);

    expect(sha256Digest(bytes)).toBe(config.digest);
    expect(parseJsonBytes(bytes)).toMatchObject({ architecture, os: 'linux' });
  });

  it('are refused when larger than the cap, before any byte is read', async () => {
    const image = seededAs('OCI image manifest');
    const { config } = parseJsonBytes<{ config: { mediaType: string; digest: Digest; size: number } }>(
      image.bytes,
    );

    await expect(client.source(repo).readBlob(config, config.size - 1)).rejects.toThrow(
      `its descriptor gives ${config.size} bytes, more than the limit of ${config.size - 1}`,
    );
  });
});

describe('pushing manifests', () => {
  it('stores the exact bytes under a tag and returns their digest', async () => {
    const index = seededAs('OCI image index');
    const manifest: RawManifest = {
      mediaType: index.mediaType,
      bytes: index.bytes,
      digest: index.digest as Digest,
    };

    await expect(client.putManifest(repo, 'pushed', manifest)).resolves.toBe(index.digest);

    const stored = await raw.getManifest(REPO, 'pushed');
    expect(stored).toMatchObject({ status: 200, mediaType: index.mediaType, digest: index.digest });
  });

  it('reports MANIFEST_BLOB_UNKNOWN with the missing child when a child is not in the repository', async () => {
    const index = seededAs('OCI image index') as SeededIndex;
    const elsewhere: RepositoryName = { registry: registry.host, repository: 'client/empty' };
    const manifest: RawManifest = {
      mediaType: index.mediaType,
      bytes: index.bytes,
      digest: index.digest as Digest,
    };

    const pushing = client.putManifest(elsewhere, '1.0', manifest);

    await expect(pushing).rejects.toMatchObject({
      status: 400,
      codes: expect.arrayContaining(['MANIFEST_BLOB_UNKNOWN']),
    });
    await expect(pushing).rejects.toThrow(
      new RegExp(`MANIFEST_BLOB_UNKNOWN.*client/empty lacks .*${index.children[0]!.digest}`),
    );
    await expect(raw.listTags('client/empty')).resolves.toEqual([]);
  });
});

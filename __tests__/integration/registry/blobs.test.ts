// Blob transfers against real registries: a mount within a token-auth registry, and a streamed copy from an
// htpasswd registry to a token-auth one, checked with the harness's raw client.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ContentSource } from '../../../src/oci/content-source.js';
import type { Descriptor } from '../../../src/oci/manifest.js';
import type { RepositoryName } from '../../../src/oci/reference.js';
import type { RegistryApi } from '../../../src/registry/api.js';
import { createRegistryClient } from '../../../src/registry/create-client.js';
import { staticStore } from '../../../src/registry/credentials/chain.js';
import { seedImage, type SeededImage } from '../../../testkit/images.js';
import { parseJsonBytes } from '../../../testkit/json.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { recordingDispatcher, type RecordingDispatcher } from '../../support/recording-dispatcher.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { recordingLogger } from '../../support/loggers.js';

const SOURCE = 'client/blobs-source';
const TARGET = 'client/blobs-target';
const LAYER_BYTES = 3 * 1024 * 1024;

let basicRegistry: TestRegistry;
let tokenRegistry: TestRegistry;
let wire: RecordingDispatcher;
let logger: ReturnType<typeof recordingLogger>;
let client: RegistryApi;

beforeAll(async () => {
  [basicRegistry, tokenRegistry] = await Promise.all([
    startRegistry({ auth: 'htpasswd' }),
    startRegistry({ auth: 'token' }),
  ]);
});

afterAll(async () => {
  await Promise.all([basicRegistry.stop(), tokenRegistry.stop()]);
});

beforeEach(() => {
  wire = recordingDispatcher();
  logger = recordingLogger();
  client = newClient();
});

afterEach(async () => {
  await client.close();
  await wire.close();
});

/** A client with credentials for both registries, sending through `wire`. */
function newClient(progressIntervalMs?: number): RegistryApi {
  return createRegistryClient({
    ...(progressIntervalMs === undefined ? {} : { progressIntervalMs }),
    credentials: staticStore(
      [basicRegistry, tokenRegistry].map(({ host, username, password }) => ({
        registry: host,
        credential: { username, password, source: `inputs for ${host}` },
      })),
    ),
    insecureRegistries: [basicRegistry.host, tokenRegistry.host],
    logger,
    onSecret: () => undefined,
    dispatcher: wire.dispatcher,
  });
}

function repository(registry: TestRegistry, name: string): RepositoryName {
  return { registry: registry.host, repository: name };
}

function blobsOf(image: SeededImage): Descriptor[] {
  const manifest = parseJsonBytes<{ config: Descriptor; layers: Descriptor[] }>(image.bytes);
  return [manifest.config, ...manifest.layers];
}

describe('within one registry', () => {
  let image: SeededImage;

  beforeAll(async () => {
    image = await seedImage(new RawRegistry(tokenRegistry), {
      repo: SOURCE,
      architecture: 'amd64',
      salt: 'mount',
    });
  });

  it('mounts each blob from the source repository, with pull on it in the same token', async () => {
    const tokenServer = tokenRegistry.tokenServer!;
    const raw = new RawRegistry(tokenRegistry);
    const from = repository(tokenRegistry, SOURCE);
    const to = repository(tokenRegistry, TARGET);

    const start = tokenServer.requests.length;

    const transfers = [];
    for (const blob of blobsOf(image)) transfers.push(await client.copyBlob(client.source(from), to, blob));

    expect(transfers).toEqual(['mounted', 'mounted']);
    // No HEAD first: the mount is the first request, with push on the target and pull on the source in one token.
    expect(tokenServer.requests.slice(start)).toEqual([
      expect.objectContaining({
        status: 200,
        scopes: [`repository:${TARGET}:pull,push`, `repository:${SOURCE}:pull`],
      }),
    ]);
    for (const blob of blobsOf(image)) await expect(raw.hasBlob(TARGET, blob.digest)).resolves.toBe(true);
    const uploads = wire.sentTo(tokenRegistry.url).filter(({ method }) => method === 'PUT');
    expect(uploads).toEqual([]);
    expect(logger.infos).toContain(
      `mounted ${image.configDigest} from ${tokenRegistry.host}/${SOURCE} into ${tokenRegistry.host}/${TARGET}`,
    );
  });

  it('mounts a blob the target holds already with one POST, uploading nothing', async () => {
    const from = repository(tokenRegistry, SOURCE);
    const to = repository(tokenRegistry, 'client/blobs-present');
    const [config] = blobsOf(image);
    await expect(client.copyBlob(client.source(from), to, config!)).resolves.toBe('mounted');
    const later = newClient();
    const start = wire.sent.length;

    // The registry answers the mount 201 whether or not the target had the blob: a HEAD first would only cost a
    // round trip.
    await expect(later.copyBlob(later.source(from), to, config!)).resolves.toBe('mounted');

    await later.close();
    const sent = wire.sent.slice(start).filter((request) => request.origin === tokenRegistry.url);
    expect(sent.filter(({ authorized }) => authorized).map(({ method }) => method)).toEqual(['POST']);
  });
});

describe('across registries with different auth (htpasswd → token)', () => {
  let image: SeededImage;

  beforeAll(async () => {
    image = await seedImage(new RawRegistry(basicRegistry), {
      repo: SOURCE,
      tag: 'v1',
      architecture: 'arm64',
      variant: 'v8',
      layerBytes: LAYER_BYTES,
      salt: 'copy',
    });
  });

  it('streams every blob across, byte for byte, then takes the manifest', async () => {
    const from = repository(basicRegistry, SOURCE);
    const to = repository(tokenRegistry, TARGET);

    const transfers = await Promise.all(
      blobsOf(image).map((blob) => client.copyBlob(client.source(from), to, blob)),
    );
    const manifest = await client.source(from).manifest('v1');
    const pushed = await client.putManifest(to, 'copied', manifest);

    expect(transfers).toEqual(['copied', 'copied']);
    const sourceRaw = new RawRegistry(basicRegistry);
    const targetRaw = new RawRegistry(tokenRegistry);
    for (const blob of blobsOf(image)) {
      const copied = Buffer.from(await targetRaw.getBlob(TARGET, blob.digest));
      expect(copied.equals(Buffer.from(await sourceRaw.getBlob(SOURCE, blob.digest)))).toBe(true);
    }
    expect(pushed).toBe(image.digest);
    await expect(targetRaw.getManifest(TARGET, 'copied')).resolves.toMatchObject({
      status: 200,
      digest: image.digest,
    });
    const layer = blobsOf(image)[1]!;
    expect(logger.infos).toContain(
      `copied ${layer.digest} (${(layer.size / 1e6).toFixed(1)} MB) from ${basicRegistry.host}/${SOURCE} ` +
        `to ${tokenRegistry.host}/${TARGET}`,
    );
  });

  it('shares one transfer between concurrent calls for the same blob and target', async () => {
    const from = repository(basicRegistry, SOURCE);
    const to = repository(tokenRegistry, 'client/blobs-shared');
    const layer = blobsOf(image)[1]!;

    const transfers = await Promise.all([1, 2, 3].map(() => client.copyBlob(client.source(from), to, layer)));

    expect(transfers).toEqual(['copied', 'copied', 'copied']);
    const sentToTarget = wire.sentTo(tokenRegistry.url);
    expect(sentToTarget.filter(({ method }) => method === 'POST')).toHaveLength(1);
    expect(sentToTarget.filter(({ method }) => method === 'PUT')).toHaveLength(1);
    await expect(new RawRegistry(tokenRegistry).hasBlob('client/blobs-shared', layer.digest)).resolves.toBe(
      true,
    );
  });

  it('refuses a blob whose size differs from its descriptor before opening an upload', async () => {
    const from = repository(basicRegistry, SOURCE);
    const to = repository(tokenRegistry, 'client/blobs-refused');
    const [config] = blobsOf(image);

    await expect(
      client.copyBlob(client.source(from), to, { ...config!, size: config!.size + 1 }),
    ).rejects.toThrow(`the registry sends ${config!.size} bytes, its descriptor gives ${config!.size + 1}`);
    expect(wire.sentTo(tokenRegistry.url).filter(({ method }) => method === 'POST')).toEqual([]);
    await expect(
      new RawRegistry(tokenRegistry).hasBlob('client/blobs-refused', config!.digest),
    ).resolves.toBe(false);
  });
});

describe('from a local file (an OCI layout blob)', () => {
  /** A content source outside any registry, as an OCI layout is. */
  const local = (open: () => NodeJS.ReadableStream, name = 'oci-layout:test'): ContentSource => ({
    name,
    manifest: (reference) => Promise.reject(new Error(`no manifest ${reference} here`)),
    readBlob: () => Promise.reject(new Error('not read whole here')),
    openBlob: async () => open(),
  });
  const inMemory = (bytes: Uint8Array) => local(() => Readable.from([Buffer.from(bytes)]));

  it('uploads it streamed and verified, once however often it is asked for', async () => {
    const bytes = randomBytes(LAYER_BYTES);
    const descriptor: Descriptor = {
      mediaType: 'application/vnd.oci.image.layer.v1.tar',
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      size: bytes.length,
    };
    const to = repository(tokenRegistry, 'client/local-upload');
    const transfers = await Promise.all([
      client.copyBlob(inMemory(bytes), to, descriptor),
      client.copyBlob(inMemory(bytes), to, descriptor),
    ]);
    expect(transfers).toEqual(['copied', 'copied']);
    const stored = await new RawRegistry(tokenRegistry).getBlob('client/local-upload', descriptor.digest);
    expect(Buffer.from(stored).equals(bytes)).toBe(true);
    expect(wire.sent.filter((r) => r.method === 'PUT')).toHaveLength(1);
    await expect(client.copyBlob(inMemory(bytes), to, descriptor)).resolves.toBe('copied');
    const again = newClient();
    await expect(again.copyBlob(inMemory(bytes), to, descriptor)).resolves.toBe('present');
    await again.close();
  });

  it('refuses bytes that do not match the digest, and the registry keeps nothing', async () => {
    const bytes = randomBytes(1024);
    const claimed: Descriptor = {
      mediaType: 'application/vnd.oci.image.layer.v1.tar',
      digest: `sha256:${createHash('sha256').update('something else').digest('hex')}`,
      size: bytes.length,
    };
    const to = repository(tokenRegistry, 'client/local-mismatch');
    await expect(client.copyBlob(inMemory(bytes), to, claimed)).rejects.toThrow(/sha256/);
    expect(await new RawRegistry(tokenRegistry).hasBlob('client/local-mismatch', claimed.digest)).toBe(false);
  });

  it('reports its progress while a slow upload is under way', async () => {
    const chunks = Array.from({ length: 8 }, () => randomBytes(64 * 1024));
    const bytes = Buffer.concat(chunks);
    const descriptor: Descriptor = {
      mediaType: 'application/vnd.oci.image.layer.v1.tar',
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      size: bytes.length,
    };
    // A source that trickles: 8 chunks, 25 ms apart, against a 5 ms progress interval.
    async function* trickle(): AsyncGenerator<Buffer> {
      for (const chunk of chunks) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        yield chunk;
      }
    }
    const reporting = newClient(5);
    try {
      const to = repository(tokenRegistry, 'client/slow-upload');
      await reporting.copyBlob(
        local(() => Readable.from(trickle()), 'oci-layout:slow'),
        to,
        descriptor,
      );
    } finally {
      await reporting.close();
    }
    const progress = logger.infos.filter(
      (line) => line.includes('from oci-layout:slow') && line.includes('%'),
    );
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatch(/: \d+% \([\d.]+ k?B of 524\.3 kB\)$/);
  });
});

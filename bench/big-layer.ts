import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { harnessDispatcher } from '../testkit/harness-dispatcher.js';
import { jsonBytes } from '../testkit/json.js';
import { MEDIA_TYPES } from '../testkit/media-types.js';
import { tarOf } from '../testkit/tar.js';
import { RawRegistry } from '../testkit/raw-registry.js';
import type { TestRegistry } from '../testkit/registry-process.js';
import { runMeasured, type Measurement } from './measured-run.js';
import { actionStep, publishInputs } from './tools/action.js';

export const BIG_REPO = 'bench/big';
export const BIG_LAYER_BYTES = 1024 ** 3;
const PIECE = 1024 * 1024;

/** Deterministic incompressible bytes (AES-CTR over zeros), generated piece by piece, never whole in memory. */
function filler(bytes: number): Readable {
  const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16));
  const zeros = Buffer.alloc(PIECE);
  let left = bytes;
  return new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const size = Math.min(PIECE, left);
      left -= size;
      this.push(cipher.update(zeros.subarray(0, size)));
    },
  });
}

const TAR_BLOCK = 512;

/**
 * A tar of one file of incompressible bytes, `bytes` long in all: the file's header, its bytes, and the archive's
 * two closing blocks. A real layer, so the binary proof reads it as it would a user's (to its budget).
 */
function tarLayer(bytes: number): Readable {
  const fileBytes = bytes - 3 * TAR_BLOCK;
  const header = tarOf([{ name: 'data/big.bin', content: new Uint8Array(0), sizeField: fileBytes }]).subarray(
    0,
    TAR_BLOCK,
  );
  return Readable.from(
    (async function* () {
      yield Buffer.from(header);
      yield* filler(fileBytes);
      yield Buffer.alloc(2 * TAR_BLOCK);
    })(),
    { objectMode: false },
  );
}

async function digestOf(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of stream) hash.update(piece as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** Streams a layer of `bytes` into `repo` (one POST, one PUT with the digest); returns its digest. */
async function streamBlob(registry: TestRegistry, repo: string, bytes: number): Promise<string> {
  const digest = await digestOf(tarLayer(bytes));
  const session = await request(`${registry.url}/v2/${repo}/blobs/uploads/`, {
    method: 'POST',
    dispatcher: harnessDispatcher,
  });
  await session.body.dump();
  const location = new URL(String(session.headers.location), registry.url);
  location.searchParams.set('digest', digest);
  const upload = await request(location, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes) },
    body: tarLayer(bytes),
    dispatcher: harnessDispatcher,
    bodyTimeout: 600_000,
    headersTimeout: 600_000,
  });
  const text = await upload.body.text();
  if (upload.statusCode !== 201)
    throw new Error(`failed to upload the big layer: ${upload.statusCode} ${text}`);
  return digest;
}

/** A linux/amd64 image whose one layer is BIG_LAYER_BYTES of uncompressed tar bytes, tagged `big`. */
export async function seedBigImage(registry: TestRegistry): Promise<string> {
  const layerDigest = await streamBlob(registry, BIG_REPO, BIG_LAYER_BYTES);
  const raw = new RawRegistry(registry);
  const config = await raw.putBlob(
    BIG_REPO,
    jsonBytes({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layerDigest] } }),
  );
  const manifest = jsonBytes({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, ...config },
    layers: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: BIG_LAYER_BYTES },
    ],
  });
  await raw.putManifest(BIG_REPO, 'big', MEDIA_TYPES.ociManifest, manifest);
  return layerDigest;
}

/** Who copies the big image: the action (as a one-platform index) or `skopeo copy` (the image as it is). */
export type BigCopier = 'action' | 'skopeo';

/** `copier` copying the big image from `from` to `to`; fails unless `to` then has the layer. */
export async function copyBigImage(
  copier: BigCopier,
  from: TestRegistry,
  to: TestRegistry,
  layerDigest: string,
  workDir: string,
): Promise<Measurement> {
  const source = `${from.host}/${BIG_REPO}:big`;
  const target = `${to.host}/${BIG_REPO}:copied`;
  const step =
    copier === 'action'
      ? await actionStep(workDir, await publishInputs([source], [target], [from.host, to.host]))
      : {
          command: 'skopeo',
          // Its own HOME: no blob-info cache from an earlier run lets it skip the copy.
          args: [
            'copy',
            // The same bytes as the action copies, not the layer gzipped on the way.
            '--preserve-digests',
            '--src-tls-verify=false',
            '--dest-tls-verify=false',
            `docker://${source}`,
            `docker://${target}`,
          ],
          env: { PATH: process.env.PATH ?? '', HOME: workDir },
        };
  const measurement = await runMeasured([step], workDir, 900_000);
  if (!(await new RawRegistry(to).hasBlob(BIG_REPO, layerDigest))) {
    throw new Error(`${copier} exited 0 but ${to.host}/${BIG_REPO} lacks the big layer ${layerDigest}`);
  }
  return measurement;
}

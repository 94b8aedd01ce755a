// Class 6 of the trust figures: wrong bytes are never finalised in a target, and a failing source is blamed as the
// source. The source registry sits behind one fault proxy (corrupt, cut or stalled blobs), the target behind
// another, which in the corrupt case plays a registry that does not verify digests: it stores whatever full body
// a PUT brings. A body short of its Content-Length is what the action sends instead.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { seedImage, type SeededImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';
import { trustTally } from '../../support/trust-figures.js';

const CASE_TIMEOUT_MS = 120_000;
const QUICK = { MULTIARCH_PUBLISH_IDLE_TIMEOUT: '2s' };
const tally = trustTally('content (class 6)');

let sourceRegistry: TestRegistry;
let targetRegistry: TestRegistry;
let source: FaultProxy;
let target: FaultProxy;
let targetRaw: RawRegistry;
let image: SeededImage;
let layer: { digest: string; bytes: Uint8Array };

/** PUTs that reached the whole of their Content-Length at the target: what a non-verifying registry would store. */
const finalised: Array<{ path: string; received: number; declared: number }> = [];

beforeAll(async () => {
  [sourceRegistry, targetRegistry] = await Promise.all([startRegistry(), startRegistry()]);
  const sourceRaw = new RawRegistry(sourceRegistry);
  targetRaw = new RawRegistry(targetRegistry);
  // Several stream chunks, so a cut or a stall falls in the middle of the layer.
  image = await seedImage(sourceRaw, {
    repo: 'trust/src',
    tag: 'amd64',
    architecture: 'amd64',
    layerBytes: 1 << 20,
  });
  const digest = image.layerDigests[0] ?? '';
  layer = { digest, bytes: await sourceRaw.getBlob('trust/src', digest) };
  [source, target] = await Promise.all([startFaultProxy(sourceRegistry), startFaultProxy(targetRegistry)]);
});

afterAll(async () => {
  tally.print();
  await Promise.all([source?.stop(), target?.stop()]);
  await Promise.all([sourceRegistry?.stop(), targetRegistry?.stop()]);
});

beforeEach(() => {
  source.setRules([]);
  target.setRules([]);
  finalised.length = 0;
});

const layerGet = (repo = 'trust/src') => new RegExp(`/v2/${repo}/blobs/${layer.digest}$`);

/** The layer answered with the same number of bytes, one of them changed. */
function corruptLayer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const bytes = Buffer.from(layer.bytes);
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
  res.end(req.method === 'HEAD' ? undefined : bytes);
  return Promise.resolve();
}

/** A target that does not verify: it takes a PUT whole, and would store whatever full body it got. */
async function nonVerifyingPut(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? -1);
  let received = 0;
  const complete = await new Promise<boolean>((resolve) => {
    req.on('data', (chunk: Buffer) => (received += chunk.length));
    req.on('end', () => resolve(true));
    req.on('error', () => resolve(false));
    req.on('close', () => resolve(received === declared));
  });
  if (complete && received === declared) {
    finalised.push({ path: req.url ?? '', received, declared });
    const digest = new URL(req.url ?? '', 'http://x').searchParams.get('digest') ?? '';
    res.writeHead(201, { 'docker-content-digest': digest, location: req.url ?? '' }).end();
  }
}

// Proof from the config only: binary proof would read the layer first, and meet the fault before the copy does.
const publish = (repo: string, env: Record<string, string> = {}) =>
  runAction(
    { sources: `${source.host}/trust/src:amd64`, tags: `${target.host}/${repo}:1.0`, prove: 'config' },
    env,
  );

describe('a source blob whose bytes do not match its digest', () => {
  it(
    'is never finalised at a target that does not verify; the upload session is cancelled; the source is named',
    async () => {
      source.setRules([{ method: 'GET', path: layerGet(), fault: { kind: 'handle', handle: corruptLayer } }]);
      target.setRules([
        {
          method: 'PUT',
          path: /\/blobs\/uploads\/.*digest=/,
          fault: { kind: 'handle', handle: nonVerifyingPut },
        },
      ]);
      const run = await publish('trust/corrupt');
      tally.check(run);
      const corrupt = finalised.filter((put) => put.path.includes(encodeURIComponent(layer.digest)));
      tally.add('corrupt blobs finalised', corrupt.length);
      expect(corrupt).toEqual([]);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(
        new RegExp(`failed to copy blob ${layer.digest} from ${source.host}/trust/src.*: content has digest`),
      );
      expect(target.count('DELETE', /\/blobs\/uploads\//)).toBeGreaterThanOrEqual(1);
      expect(await targetRaw.hasBlob('trust/corrupt', layer.digest)).toBe(false);
      expect(await targetRaw.hasManifest('trust/corrupt', '1.0')).toBe(false);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );
});

describe('a source that fails mid-blob', () => {
  it.each([
    ['cut after 64 KiB', { kind: 'cut', afterBytes: 64 * 1024 } as const],
    ['stalled after its headers', { kind: 'stall' } as const],
  ])(
    '%s, every time: a source read failure naming the source, not the target; nothing finalised',
    async (_name, fault) => {
      source.setRules([{ method: 'GET', path: layerGet(), fault }]);
      const run = await publish(`trust/${fault.kind}`, QUICK);
      tally.check(run);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(/^::error title=Source read failed::/m);
      expect(run.stdout).toContain(`failed to read blob ${layer.digest} from ${source.host}/trust/src`);
      expect(run.stdout).not.toMatch(/failed to upload blob/);
      expect(await targetRaw.hasBlob(`trust/${fault.kind}`, layer.digest)).toBe(false);
      expect(await targetRaw.hasManifest(`trust/${fault.kind}`, '1.0')).toBe(false);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'cut once: the copy is retried, blaming the source, and the image is published',
    async () => {
      source.setRules([
        { method: 'GET', path: layerGet(), times: 1, fault: { kind: 'cut', afterBytes: 64 * 1024 } },
      ]);
      const run = await publish('trust/cut-once', QUICK);
      tally.check(run);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(
        `after: failed to read blob ${layer.digest} from ${source.host}/trust/src`,
      );
      expect(await targetRaw.hasBlob('trust/cut-once', layer.digest)).toBe(true);
      expect((await targetRaw.getManifest('trust/cut-once', '1.0')).digest).toBe(run.outputs.digest);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );
});

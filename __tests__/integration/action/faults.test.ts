// The action (`node dist/index.js`) against a real registry behind a fault-injecting proxy: answers cut short,
// stalled, refused or absurd. A fault the action can outlive ends in the digest of a clean run; one it cannot ends
// in a clean, named failure with no tag written.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { seedImage, type SeededImage } from '../../../testkit/images.js';
import { MEDIA_TYPES } from '../../../testkit/media-types.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction, type ActionRun } from '../../../testkit/run-action.js';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../../support/fault-proxy.js';
import { leakedSecrets } from '../../support/trust-figures.js';

const SECRET = 'hunter2-do-not-print';
/** Jest's own limit per case: generous, the runs bound themselves. */
const CASE_TIMEOUT_MS = 120_000;
/** Short waits on a silent registry, so a stalled answer is given up in seconds. */
const QUICK = { MULTIARCH_PUBLISH_IDLE_TIMEOUT: '2s' };

let registry: TestRegistry;
let raw: RawRegistry;
let proxy: FaultProxy;
let amd64: SeededImage;
let arm64: SeededImage;
let cleanDigest: string;
const tally = { injected: 0, survived: 0, badInputs: 0, leaks: 0 };

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  raw = new RawRegistry(registry);
  proxy = await startFaultProxy(registry);
  amd64 = await seedImage(raw, { repo: 'faults/src', tag: 'amd64', architecture: 'amd64' });
  arm64 = await seedImage(raw, { repo: 'faults/src', tag: 'arm64', architecture: 'arm64' });
  const clean = await publishTo('faults/clean');
  if (clean.exitCode !== 0) throw new Error(`the clean run failed:\n${clean.stdout}${clean.stderr}`);
  cleanDigest = clean.outputs.digest ?? '';
}, CASE_TIMEOUT_MS);

afterAll(async () => {
  // The closing figures of the issue: what was thrown at the action and what it made of it.
  process.stdout.write(
    `fault figures: ${tally.injected} faults injected, ${tally.survived} runs survived their faults, ` +
      `${tally.badInputs} bad inputs handled cleanly, ${tally.leaks} secrets leaked\n`,
  );
  await proxy?.stop();
  await registry?.stop();
});

beforeEach(() => {
  proxy.setRules([]);
  proxy.seen.length = 0;
});

const ref = (repo: string, tag: string): string => `${proxy.host}/${repo}:${tag}`;

function publishTo(
  repo: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction(
    {
      sources: `${ref('faults/src', 'amd64')}\n${ref('faults/src', 'arm64')}`,
      tags: ref(repo, '1.0'),
      ...inputs,
    },
    env,
  );
}

/** Runs with `rules` in place; counts the faults the proxy applied. */
async function withFaults(rules: FaultRule[], run: () => Promise<ActionRun>): Promise<ActionRun> {
  proxy.setRules(rules);
  const before = proxy.injected;
  const result = await run();
  const injected = proxy.injected - before;
  expect(injected).toBeGreaterThan(0);
  tally.injected += injected;
  if (result.exitCode === 0) tally.survived += 1;
  return result;
}

function expectNoCommandInjection(run: ActionRun): void {
  // Our own annotations start lines with `::error`/`::debug`; nothing registry-made may.
  expect(run.stdout).not.toMatch(/^::(set-output|add-mask|stop-commands)/m);
}

describe('faults the action outlives', () => {
  it(
    'a manifest GET cut short once: the digest of a clean run',
    async () => {
      const run = await withFaults(
        [{ method: 'GET', path: /\/manifests\/amd64$/, times: 1, fault: { kind: 'cut', afterBytes: 20 } }],
        () => publishTo('faults/cut'),
      );
      expect(run.exitCode).toBe(0);
      expect(run.outputs.digest).toBe(cleanDigest);
      expect((await raw.getManifest('faults/cut', '1.0')).digest).toBe(cleanDigest);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'a config blob GET cut short once: the digest of a clean run',
    async () => {
      const run = await withFaults(
        [
          {
            method: 'GET',
            path: new RegExp(`/blobs/${arm64.configDigest}$`),
            times: 1,
            fault: { kind: 'cut', afterBytes: 10 },
          },
        ],
        () => publishTo('faults/cut-config'),
      );
      expect(run.exitCode).toBe(0);
      expect(run.outputs.digest).toBe(cleanDigest);
    },
    CASE_TIMEOUT_MS,
  );

  it.each([
    ['stalled after its headers', { kind: 'stall' } as const],
    ['never answered', { kind: 'silence' } as const],
    ['trickling a byte a second', { kind: 'trickle', intervalMs: 1000 } as const],
  ])(
    'a manifest GET %s once: the digest of a clean run',
    async (_name, fault) => {
      const run = await withFaults([{ method: 'GET', path: /\/manifests\/arm64$/, times: 1, fault }], () =>
        publishTo(`faults/${fault.kind}`, {}, QUICK),
      );
      expect(run.exitCode).toBe(0);
      expect(run.outputs.digest).toBe(cleanDigest);
      expect(run.stdout).toMatch(/retrying GET http:\/\/127\.0\.0\.1:\d+\/v2\/faults\/src\/manifests\/arm64/);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'blob HEADs answered 403 after refused mounts: the blobs are asked for again and copied',
    async () => {
      // A mount that lands needs no HEAD: the mounts are refused, so that the HEADs are asked.
      const run = await withFaults(
        [
          { method: 'POST', path: /\/blobs\/uploads\/\?.*mount=/, fault: { kind: 'reply', status: 404 } },
          { method: 'HEAD', path: /\/blobs\//, fault: { kind: 'reply', status: 403 } },
        ],
        () => publishTo('faults/head403'),
      );
      expect(run.exitCode).toBe(0);
      expect(run.outputs.digest).toBe(cleanDigest);
      for (const digest of [...amd64.layerDigests, amd64.configDigest]) {
        expect(await raw.hasBlob('faults/head403', digest)).toBe(true);
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'mounts refused with a Basic challenge on an anonymous registry: the blobs are copied',
    async () => {
      const run = await withFaults(
        [
          {
            method: 'POST',
            path: /\/blobs\/uploads\/\?.*mount=/,
            fault: { kind: 'reply', status: 401, headers: { 'www-authenticate': 'Basic realm="registry"' } },
          },
        ],
        () => publishTo('faults/mount401'),
      );
      expect(run.exitCode).toBe(0);
      expect(run.outputs.digest).toBe(cleanDigest);
      for (const digest of arm64.layerDigests)
        expect(await raw.hasBlob('faults/mount401', digest)).toBe(true);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('faults that end the run cleanly, writing no tag', () => {
  it(
    'a registry that stalls every response: fails within its timeout, naming the registry',
    async () => {
      const run = await withFaults([{ path: /^\/v2\/faults\//, fault: { kind: 'stall' } }], () =>
        publishTo('faults/stalled', { timeout: '5s' }),
      );
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(/^::error title=Timed out::/m);
      expect(run.stdout).toContain(
        `the run's timeout (5s) passed while waiting for GET http://${proxy.host}/v2/`,
      );
      expect(await raw.hasManifest('faults/stalled', '1.0')).toBe(false);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'an upload session a mount opened is cancelled when the copy cannot use it',
    async () => {
      const layer = amd64.layerDigests[0] ?? '';
      const run = await withFaults(
        [
          // The registry opens a plain upload session (202) where a mount was asked for.
          {
            method: 'POST',
            path: /mount=/,
            fault: { kind: 'rewrite', path: (path) => path.split('?')[0] ?? path },
          },
          // …and the source then loses the layer.
          {
            method: 'GET',
            path: new RegExp(`/faults/src/blobs/${layer}$`),
            fault: { kind: 'reply', status: 404 },
          },
        ],
        // The copy must be the first to read the layer: the binary proof would meet the 404 before any session.
        () => publishTo('faults/session', { prove: 'config' }),
      );
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain(`failed to read blob ${proxy.host}/faults/src@${layer}: 404 Not Found`);
      const opened = proxy.seen.filter((request) => request.method === 'POST' && request.fault === 'rewrite');
      const cancelled = proxy.seen.filter(
        (request) =>
          request.method === 'DELETE' && request.path.startsWith('/v2/faults/session/blobs/uploads/'),
      );
      // Sessions other copies used went into their PUTs; the one whose source failed was given back.
      expect(opened.length).toBeGreaterThan(0);
      expect(cancelled.length).toBeGreaterThanOrEqual(1);
      expect(await raw.hasManifest('faults/session', '1.0')).toBe(false);
    },
    CASE_TIMEOUT_MS,
  );

  const layers = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      mediaType: MEDIA_TYPES.ociLayerGzip,
      digest: `sha256:${i.toString(16).padStart(64, '0')}`,
      size: 1,
    }));
  const absurd: Array<[string, string]> = [
    [
      'a JSON bomb nested a million deep',
      `{"schemaVersion":2,"layers":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`,
    ],
    [
      'a manifest of 50,000 layers',
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        config: { mediaType: MEDIA_TYPES.ociConfig, digest: `sha256:${'c'.repeat(64)}`, size: 1 },
        layers: layers(50_000),
      }),
    ],
  ];
  it.each(absurd)(
    '%s: a fast clean failure naming the source, nothing written',
    async (_name, body) => {
      const run = await withFaults(
        [
          {
            method: 'GET',
            path: /\/faults\/src\/manifests\/amd64$/,
            fault: { kind: 'reply', status: 200, headers: { 'content-type': MEDIA_TYPES.ociManifest }, body },
          },
        ],
        () => publishTo('faults/absurd'),
      );
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(/^::error title=Invalid manifest::invalid manifest .*faults\/src:amd64: /m);
      expect(run.stdout).not.toContain('Maximum call stack');
      expect(proxy.seen.filter((request) => !['GET', 'HEAD'].includes(request.method))).toEqual([]);
      expect(await raw.hasManifest('faults/absurd', '1.0')).toBe(false);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('credentials written into inputs or realms', () => {
  const leaky: Array<[string, Record<string, string>]> = [
    ['a source', { sources: `user:${SECRET}@${'127.0.0.1:1'}/faults/src:amd64` }],
    ['a platform-declared source', { sources: `linux/amd64=user:${SECRET}@127.0.0.1:1/faults/src:amd64` }],
    ['a tag', { tags: `user:${SECRET}@127.0.0.1:1/faults/x:1.0` }],
    ['an insecure registry', { 'insecure-registries': `user:${SECRET}@127.0.0.1:1` }],
  ];
  it.each(leaky)(
    'in %s: a clean failure that prints no secret',
    async (_name, inputs) => {
      const run = await publishTo('faults/leak', inputs, { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' });
      tally.badInputs += 1;
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(/^::error title=/m);
      // Shown nowhere but in the ::add-mask:: command that hands it to the runner.
      const leaked = leakedSecrets(run, [SECRET]);
      if (leaked.length > 0) tally.leaks += 1;
      expect(leaked).toEqual([]);
      expect(run.stderr).toBe('');
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'in a token realm the registry offers: refused, and not printed',
    async () => {
      const run = await withFaults(
        [
          {
            // The run's first request, whichever it is, meets the challenge (there is no /v2/ ping to meet it).
            method: 'GET',
            path: /^\/v2\//,
            fault: {
              kind: 'reply',
              status: 401,
              headers: { 'www-authenticate': `Bearer realm="http://bot:${SECRET}@example.invalid/token"` },
            },
          },
        ],
        () => publishTo('faults/realm', {}, { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' }),
      );
      tally.badInputs += 1;
      expect(run.exitCode).toBe(1);
      // Shown nowhere but in the ::add-mask:: command that hands it to the runner.
      const leaked = leakedSecrets(run, [SECRET]);
      if (leaked.length > 0) tally.leaks += 1;
      expect(leaked).toEqual([]);
      expectNoCommandInjection(run);
    },
    CASE_TIMEOUT_MS,
  );
});

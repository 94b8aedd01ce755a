// Registry text is untrusted: error messages carrying workflow commands, on a retried manifest PUT and on a
// retried blob upload, and a config whose os carries one, must never become a command in the runner's log.
// The action runs as `node dist/index.js`; the fault proxy in front of the real registry answers with them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sha256Digest } from '../../../testkit/digest.js';
import {
  registryErrorAnswer,
  startFaultProxy,
  type FaultProxy,
  type FaultRule,
} from '../../support/fault-proxy.js';
import { seedImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';

const COMMANDS = '\n::error title=x::pwned\n::set-output name=x::y\r::add-mask::z\n##[set-output name=x;]y';

/** The stdout lines as the runner reads them (split at \n, \r or \r\n, leading whitespace trimmed). */
const runnerLines = (stdout: string): string[] =>
  stdout.split(/\r\n|\r|\n/).map((line) => line.replace(/^[\s\u0085]+/u, ''));

function expectNoInjectedCommand(stdout: string): void {
  const lines = runnerLines(stdout);
  expect(lines.filter((line) => /^::(error title=x|set-output|add-mask)/.test(line))).toEqual([]);
  expect(lines.filter((line) => line.includes('##['))).toEqual([]);
}

let registry: TestRegistry;
let raw: RawRegistry;
let proxy: FaultProxy;

/** A distribution error answer whose message carries workflow commands, for the first matching request only. */
const injected = (method: string, path: RegExp, status: number, code: string): FaultRule => ({
  method,
  path,
  fault: registryErrorAnswer(status, code, `try again${COMMANDS}`),
  times: 1,
});

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  raw = new RawRegistry(registry);
  proxy = await startFaultProxy(registry);
});

afterAll(async () => {
  await proxy.stop();
  await registry.stop();
});

describe('registry text with workflow commands', () => {
  it('on a retried blob upload and a retried tag PUT: no injected command in stdout, and the run succeeds', async () => {
    const amd64 = await seedImage(raw, { repo: 'inject/src', tag: 'amd64', architecture: 'amd64' });
    const arm64 = await seedImage(raw, { repo: 'inject/src', tag: 'arm64', architecture: 'arm64' });
    // The proxy is another registry to the action, so blobs are copied (upload PUTs) rather than mounted.
    const uploads = /^\/v2\/inject\/dst\/blobs\/uploads\//;
    const tag = /^\/v2\/inject\/dst\/manifests\/1\.0$/;
    proxy.rules.push(
      injected('PUT', uploads, 404, 'BLOB_UPLOAD_UNKNOWN'),
      injected('PUT', tag, 400, 'MANIFEST_BLOB_UNKNOWN'),
    );
    const run = await runAction({
      sources: `${registry.host}/inject/src:amd64\n${registry.host}/inject/src:arm64`,
      tags: `${proxy.host}/inject/dst:1.0`,
    });
    // Each fault was answered once, and the retry of each went through.
    expect(
      proxy.seen.filter((r) => r.method === 'PUT' && uploads.test(r.path) && r.status === 404),
    ).toHaveLength(1);
    expect(proxy.seen.filter((r) => r.method === 'PUT' && tag.test(r.path) && r.status === 400)).toHaveLength(
      1,
    );
    expect(run.exitCode).toBe(0);
    expectNoInjectedCommand(run.stdout);
    // The messages are in the log, readable, with their leading "::" broken by an invisible character.
    expect(run.stdout).toContain(':\u200b:error title=x::pwned');
    expect(run.stdout).toContain('retrying the copy of');
    expect(run.outputs.x).toBeUndefined();
    const served = await raw.getManifest('inject/dst', '1.0');
    expect(sha256Digest(served.bytes)).toBe(run.outputs.digest);
    expect(JSON.parse(run.outputs.children ?? '[]').map((c: { digest: string }) => c.digest)).toEqual([
      amd64.digest,
      arm64.digest,
    ]);
    expect(run.outputs.images).toBe(`${proxy.host}/inject/dst@${run.outputs.digest}`);
    expect(run.outputs.tags).toBe(`${proxy.host}/inject/dst:1.0`);
  });

  it('in a config os: the run fails naming the source and the field, writes nothing, and logs no command', async () => {
    await seedImage(raw, { repo: 'inject/bad', tag: 'amd64', os: `linux${COMMANDS}`, architecture: 'amd64' });
    const run = await runAction({
      sources: `${registry.host}/inject/bad:amd64`,
      tags: `${registry.host}/inject/bad:1.0`,
    });
    expect(run.exitCode).toBe(1);
    expectNoInjectedCommand(run.stdout);
    const [annotation] = run.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(annotation).toMatch(/^::error title=Invalid platform::/);
    expect(annotation).toContain(`${registry.host}/inject/bad:amd64`);
    expect(annotation).toContain('\\"os\\" must be at most 64'.replace(/\\/g, ''));
    expect(annotation).toContain('Nothing was written.');
    expect(await raw.hasManifest('inject/bad', '1.0')).toBe(false);
    expect(run.summary).toContain('<h2>Multi-platform image not published: Invalid platform</h2>');
    expect(run.summary).toContain('Failed while trying to resolve and verify sources:');
    expect(run.summary).not.toMatch(/\n\s*\n/);
  });
});

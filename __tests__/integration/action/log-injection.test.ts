// Registry text is untrusted: error messages carrying workflow commands, on a retried manifest PUT and on a
// retried blob upload, and a config whose os carries one, must never become a command in the runner's log.
// The action runs as `node dist/index.js`; a small proxy in front of the real registry rewrites the answers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sha256Digest } from '../../support/digest.js';
import { seedImage } from '../../support/images.js';
import { RawRegistry } from '../../support/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../support/registry-process.js';
import { runAction } from '../../support/run-action.js';

const COMMANDS = '\n::error title=x::pwned\n::set-output name=x::y\r::add-mask::z\n##[set-output name=x;]y';

/** The stdout lines as the runner reads them (split at \n, \r or \r\n, leading whitespace trimmed). */
const runnerLines = (stdout: string): string[] =>
  stdout.split(/\r\n|\r|\n/).map((line) => line.replace(/^[\s\u0085]+/u, ''));

function expectNoInjectedCommand(stdout: string): void {
  const lines = runnerLines(stdout);
  expect(lines.filter((line) => /^::(error title=x|set-output|add-mask)/.test(line))).toEqual([]);
  expect(lines.filter((line) => line.includes('##['))).toEqual([]);
}

interface Injection {
  method: string;
  path: RegExp;
  status: number;
  code: string;
  left: number;
}

let registry: TestRegistry;
let raw: RawRegistry;
let proxy: Server;
let proxyHost: string;
const injections: Injection[] = [];

/** Passes every request to the registry (Host kept, so upload Locations name the proxy), except injected ones. */
async function startProxy(): Promise<void> {
  const upstream = new URL(registry.url);
  proxy = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const fault = injections.find((i) => i.left > 0 && i.method === req.method && i.path.test(path));
    if (fault) {
      fault.left -= 1;
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: fault.code, message: `try again${COMMANDS}` }] }));
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((listening) => proxy.listen(0, '127.0.0.1', listening));
  proxyHost = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  raw = new RawRegistry(registry);
  await startProxy();
});

afterAll(async () => {
  await new Promise((closed) => proxy.close(closed));
  await registry.stop();
});

describe('registry text with workflow commands', () => {
  it('on a retried blob upload and a retried tag PUT: no injected command in stdout, and the run succeeds', async () => {
    const amd64 = await seedImage(raw, { repo: 'inject/src', tag: 'amd64', architecture: 'amd64' });
    const arm64 = await seedImage(raw, { repo: 'inject/src', tag: 'arm64', architecture: 'arm64' });
    // The proxy is another registry to the action, so blobs are copied (upload PUTs) rather than mounted.
    injections.push(
      {
        method: 'PUT',
        path: /^\/v2\/inject\/dst\/blobs\/uploads\//,
        status: 404,
        code: 'BLOB_UPLOAD_UNKNOWN',
        left: 1,
      },
      {
        method: 'PUT',
        path: /^\/v2\/inject\/dst\/manifests\/1\.0$/,
        status: 400,
        code: 'MANIFEST_BLOB_UNKNOWN',
        left: 1,
      },
    );
    const run = await runAction({
      sources: `${registry.host}/inject/src:amd64\n${registry.host}/inject/src:arm64`,
      tags: `${proxyHost}/inject/dst:1.0`,
    });
    expect(injections.map((i) => i.left)).toEqual([0, 0]);
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
    expect(run.outputs.images).toBe(`${proxyHost}/inject/dst@${run.outputs.digest}`);
    expect(run.outputs.tags).toBe(`${proxyHost}/inject/dst:1.0`);
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

// Class 4 of the trust figures: secrets stay out of everything the run prints or writes (log, summary, outputs),
// whatever characters they hold, wherever they were written; username/password go to their one registry only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';
import { trustTally } from '../../support/trust-figures.js';

const CASE_TIMEOUT_MS = 120_000;
const tally = trustTally('secrets (class 4)');
const DEBUG = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' };
// Passwords holding what used to stop the redaction: a slash, a double quote, an at sign, all of them.
const PASSWORDS = ['pa/ss-w0rd-7', 'pa"ss-w0rd-8', 'p@ss-w0rd-9', 'p/a"s@s!_w0rd'];
const UNREACHABLE = '127.0.0.1:1';

let target: TestRegistry;
let raw: RawRegistry;
let dir: string;

beforeAll(async () => {
  target = await startRegistry({ auth: 'htpasswd' });
  raw = new RawRegistry(target);
  await seedImage(raw, { repo: 'trust/src', tag: 'amd64', architecture: 'amd64' });
  dir = await mkdtemp(join(tmpdir(), 'trust-secrets-'));
});

afterAll(async () => {
  tally.print();
  await target?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('credentials pasted into inputs', () => {
  const cases = PASSWORDS.flatMap((password) => [
    [
      'sources',
      password,
      { sources: `bot:${password}@${UNREACHABLE}/trust/src:amd64`, tags: `${UNREACHABLE}/x:1` },
    ],
    [
      'tags',
      password,
      { sources: `${UNREACHABLE}/trust/src:amd64`, tags: `bot:${password}@${UNREACHABLE}/x:1.0` },
    ],
    [
      'insecure-registries',
      password,
      {
        sources: `${UNREACHABLE}/a:1`,
        tags: `${UNREACHABLE}/x:1`,
        'insecure-registries': `bot:${password}@h:5000`,
      },
    ],
  ]) as Array<[string, string, Record<string, string>]>;
  it.each(cases)(
    'in %s, password %j: a clean failure that shows it nowhere',
    async (_input, password, inputs) => {
      const run = await runAction(inputs, DEBUG);
      tally.check(run, [password]);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(/^::error title=/m);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );
});

describe('the username and password inputs', () => {
  it(
    "refused by the registry: a token with '_' and '!' is in no line and not in the summary",
    async () => {
      const password = 'ghs_Wr0ng!T0ken_x';
      const run = await runAction(
        {
          sources: `${target.host}/trust/src:amd64`,
          tags: `${target.host}/trust/refused:1.0`,
          username: target.username ?? '',
          password,
        },
        DEBUG,
      );
      tally.check(run, [password]);
      expect(run.exitCode).toBe(1);
      expect(run.summary).toContain('Multi-platform image not published');
      expect(await raw.hasManifest('trust/refused', '1.0')).toBe(false);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'bound to the first tag registry: another registry and its token server never see them, and are told why',
    async () => {
      const other = await recordingRegistry();
      try {
        const run = await runAction(
          {
            sources: `${target.host}/trust/src:amd64`,
            tags: `${target.host}/trust/bound:1.0\n${other.host}/trust/bound:1.0`,
            username: target.username ?? '',
            password: target.password ?? '',
          },
          DEBUG,
        );
        tally.check(run, [target.password ?? '']);
        expect(run.exitCode).toBe(1);
        const sent = other.authorizations.filter((value) => value !== undefined);
        expect(sent).toEqual([]);
        expect(other.requests).toBeGreaterThan(0);
        expect(other.tokenRequests).toBeGreaterThan(0);
        expect(run.stdout).toContain(
          `no credentials found for ${other.host} (the username and password inputs are for ${target.host} only`,
        );
        // Nothing moved: the tags move together or not at all.
        expect(await raw.hasManifest('trust/bound', '1.0')).toBe(false);
        tally.clean();
      } finally {
        await other.stop();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'with registry naming the target: published there with them',
    async () => {
      const run = await runAction(
        {
          sources: `${target.host}/trust/src:amd64`,
          tags: `${target.host}/trust/named:1.0`,
          registry: target.host,
          username: target.username ?? '',
          password: target.password ?? '',
        },
        DEBUG,
      );
      tally.check(run, [target.password ?? '']);
      expect(run.exitCode).toBe(0);
      expect((await raw.getManifest('trust/named', '1.0')).digest).toBe(run.outputs.digest);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );
});

describe('a failing credential helper', () => {
  it(
    'that prints the token it holds: the run fails naming the helper, and the token shows nowhere',
    async () => {
      const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
      const bin = join(dir, 'bin');
      const config = join(dir, 'docker');
      await Promise.all([mkdir(bin), mkdir(config)]);
      const helper = join(bin, 'docker-credential-leaky');
      await writeFile(helper, `#!/bin/sh\necho "error: token ${token} expired for $(cat)" >&2\nexit 1\n`);
      await chmod(helper, 0o755);
      await writeFile(
        join(config, 'config.json'),
        JSON.stringify({ credHelpers: { [target.host]: 'leaky' } }),
      );
      const run = await runAction(
        { sources: `${target.host}/trust/src:amd64`, tags: `${target.host}/trust/helper:1.0` },
        { ...DEBUG, DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH ?? ''}` },
      );
      tally.check(run, [token]);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain('::error title=Credential helper failed::');
      expect(run.stdout).toContain('error: token *** expired');
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );
});

interface RecordingRegistry {
  host: string;
  /** The Authorization header of every request, registry and token server alike (undefined when none). */
  authorizations: Array<string | undefined>;
  requests: number;
  tokenRequests: number;
  stop(): Promise<void>;
}

/** A registry that challenges every request with a Bearer realm on its own /token, and records what comes. */
async function recordingRegistry(): Promise<RecordingRegistry> {
  const recorded: RecordingRegistry = {
    host: '',
    authorizations: [],
    requests: 0,
    tokenRequests: 0,
    stop: async () => undefined,
  };
  const server: Server = createServer((req: IncomingMessage, res) => {
    recorded.authorizations.push(req.headers.authorization);
    if (req.url?.startsWith('/token')) {
      recorded.tokenRequests += 1;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"no"}]}');
      return;
    }
    recorded.requests += 1;
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': `Bearer realm="http://${recorded.host}/token",service="other"`,
    });
    res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  recorded.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  recorded.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return recorded;
}

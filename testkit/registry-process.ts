import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { findFreePort } from './free-port.js';
import { harnessDispatcher } from './harness-dispatcher.js';
import { writeHtpasswd } from './htpasswd.js';
import { registryConfig, type RegistryAuthConfig } from './registry-config.js';
import { createServerCertificate, type ServerCertificate } from './tls-certificate.js';
import { SupervisedProcess, type ExitStatus } from './supervised-process.js';
import { startTokenServer, type TestTokenServer } from './token-server.js';

export type AuthMode = 'none' | 'htpasswd' | 'token';

/** A running distribution registry on a loopback port. */
export interface TestRegistry {
  /** `127.0.0.1:PORT`: what goes in image references. */
  host: string;
  /** `http://127.0.0.1:PORT`, or https when started with `tls`. */
  url: string;
  auth: AuthMode;
  /** The valid user (htpasswd and token modes). */
  username?: string;
  password?: string;
  /** Where it stores its content (distribution's filesystem layout); unset for a registry not started here. */
  storageDir?: string;
  /** The token server the registry trusts (token mode). */
  tokenServer?: TestTokenServer;
  /** The CA its https certificate comes from, and a dispatcher trusting it (started with `tls`). */
  tls?: { caPath: string; dispatcher: Dispatcher };
  /** What it wrote to stdout and stderr lately (started here); with `tls`, an access log line per request. */
  output?(): string;
  /** Hears everything it writes from now on (started here); with `tls`, that includes an access log line per request. */
  onOutput?(listener: (text: string) => void): void;
  /** Kills the registry (and its token server) and removes its files; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartRegistryOptions {
  auth?: AuthMode;
  /** The valid user; defaults to `harness-user` with a random password. */
  username?: string;
  password?: string;
  /** The registry binary; defaults to `docker-registry` on PATH. */
  command?: string;
  /** `storage.delete.enabled` (default true). */
  deletes?: boolean;
  /** Serve https (HTTP/2 offered by ALPN) with a certificate from a throwaway CA. */
  tls?: boolean;
  /** With `tls`: this certificate instead of a fresh CA of its own (several servers trusted through one CA). */
  certificate?: ServerCertificate;
  /** With `tls`: offer HTTP/2 (default true); false serves HTTP/1.1 only. */
  http2?: boolean;
  /** Token mode: trust this running token server (its realm as given) instead of starting one; it is not stopped. */
  tokenServer?: TestTokenServer;
}

const READY_DEADLINE_MS = 10_000;
const READY_POLL_MS = 50;
const STOP_GRACE_MS = 3_000;
const START_ATTEMPTS = 3;

/** Starts `docker-registry serve` (distribution 2.8) with a fresh config, storage and, per mode, auth. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const auth = options.auth ?? 'none';
  const user =
    auth === 'none'
      ? undefined
      : {
          username: options.username ?? 'harness-user',
          password: options.password ?? randomBytes(12).toString('hex'),
        };
  const dir = await mkdtemp(join(tmpdir(), 'multiarch-publish-registry-'));
  let tokenServer: TestTokenServer | undefined;
  try {
    let authConfig: RegistryAuthConfig = { kind: 'none' };
    if (auth === 'htpasswd' && user !== undefined) {
      authConfig = { kind: 'htpasswd', path: join(dir, 'htpasswd') };
      await writeHtpasswd(authConfig.path, user.username, user.password);
    }
    if (auth === 'token' && user !== undefined) {
      const trusted = options.tokenServer ?? (tokenServer = await startTokenServer({ dir, ...user }));
      const { realm, service, issuer, certificatePath } = trusted;
      authConfig = { kind: 'token', realm, service, issuer, rootCertBundle: certificatePath };
    }
    const serving: Serving = { deletes: options.deletes ?? true, http2: options.http2 ?? true };
    if (options.tls === true) {
      const certificate = options.certificate ?? (await createServerCertificate(dir));
      serving.tls = {
        files: { certificate: certificate.certificatePath, key: certificate.keyPath },
        caPath: certificate.caPath,
        dispatcher: new Agent({ connect: { ca: certificate.ca } }),
      };
    }
    const { child, port } = await launch(options.command ?? 'docker-registry', dir, authConfig, serving);
    const host = `127.0.0.1:${port}`;
    const tls = serving.tls;
    const runningTokenServer = tokenServer;
    const trustedTokenServer = options.tokenServer ?? tokenServer;
    let stopping: Promise<void> | undefined;
    return {
      host,
      url: `${tls === undefined ? 'http' : 'https'}://${host}`,
      auth,
      ...(tls === undefined ? {} : { tls: { caPath: tls.caPath, dispatcher: tls.dispatcher } }),
      output: () => child.output,
      onOutput: (listener) => child.onOutput(listener),
      storageDir: join(dir, 'storage'),
      ...user,
      ...(trustedTokenServer === undefined ? {} : { tokenServer: trustedTokenServer }),
      stop: () =>
        (stopping ??= (async () => {
          await child.stop(STOP_GRACE_MS);
          await tls?.dispatcher.close();
          await runningTokenServer?.stop();
          await rm(dir, { recursive: true, force: true });
        })()),
    };
  } catch (error) {
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** How the registry serves, beyond auth. */
interface Serving {
  deletes: boolean;
  http2: boolean;
  tls?: { files: { certificate: string; key: string }; caPath: string; dispatcher: Agent };
}

async function launch(
  command: string,
  dir: string,
  auth: RegistryAuthConfig,
  { deletes, tls, http2 }: Serving,
): Promise<{ child: SupervisedProcess; port: number }> {
  const configPath = join(dir, 'config.yml');
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const addr = `127.0.0.1:${port}`;
    const httpSecret = randomBytes(16).toString('hex');
    await writeFile(
      configPath,
      registryConfig({
        addr,
        storageDir: join(dir, 'storage'),
        httpSecret,
        auth,
        deletes,
        tls: tls?.files,
        http2,
      }),
    );
    const child = new SupervisedProcess(command, ['serve', configPath], registryEnv());
    try {
      const scheme = tls === undefined ? 'http' : 'https';
      await waitUntilReady(child, command, `${scheme}://${addr}/v2/`, tls?.dispatcher ?? harnessDispatcher);
      return { child, port };
    } catch (error) {
      await child.stop(STOP_GRACE_MS);
      // The probed port can be taken by another process before the registry binds it: pick another.
      if (attempt < START_ATTEMPTS && child.output.includes('address already in use')) continue;
      throw error;
    }
  }
}

/** Polls `GET /v2/` until it answers 200 or 401 (auth on), the process dies, or the deadline passes. */
async function waitUntilReady(
  child: SupervisedProcess,
  command: string,
  url: string,
  dispatcher: Dispatcher,
): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  let lastAttempt = 'no attempt yet';
  while (Date.now() < deadline) {
    const exit = child.exitStatus;
    if (exit !== undefined) throw exitError(command, url, exit, child.output);
    try {
      const response = await request(url, {
        dispatcher,
        headersTimeout: 1_000,
        bodyTimeout: 1_000,
      });
      await response.body.dump();
      if (response.statusCode === 200 || response.statusCode === 401) return;
      lastAttempt = `answered ${response.statusCode}`;
    } catch (error) {
      lastAttempt = String(error);
    }
    await Promise.race([sleep(READY_POLL_MS), child.exited]);
  }
  throw new Error(
    `failed to start docker-registry at ${url}: no 200 or 401 from GET /v2/ within ${READY_DEADLINE_MS / 1000} s ` +
      `(last attempt: ${lastAttempt}); output:\n${child.output}`,
  );
}

function exitError(command: string, url: string, exit: ExitStatus, output: string): Error {
  const cause = exit.error;
  if (cause?.code === 'ENOENT') {
    return new Error(
      `docker-registry not found: apt-get install docker-registry (no ${JSON.stringify(command)})`,
      {
        cause,
      },
    );
  }
  const how =
    cause === undefined
      ? `it exited with code ${exit.code} (signal ${exit.signal})`
      : `it could not be run: ${cause.message}`;
  return new Error(`failed to start docker-registry at ${url}: ${how}; output:\n${output}`, { cause });
}

/** The environment without REGISTRY_* variables: distribution reads them as overrides of its config file. */
function registryEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('REGISTRY_')));
}

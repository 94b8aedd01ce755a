// Shared by the client wire tests: a client on a MockAgent through the real Transport, a registry at
// https://registry.test with a token server at https://auth.test, and what each mock peer received.
import type { MockAgent } from 'undici';
import { sha256Digest, type Digest } from '../../../src/oci/digest.js';
import type { Descriptor } from '../../../src/oci/manifest.js';
import type { RepositoryName } from '../../../src/oci/reference.js';
import type { RegistryApi } from '../../../src/registry/api.js';
import { RegistrySession } from '../../../src/registry/auth/session.js';
import { createRegistryClient } from '../../../src/registry/create-client.js';
import { staticStore } from '../../../src/registry/credentials/chain.js';
import type { Credential } from '../../../src/registry/credentials/credential-store.js';
import { OriginResolver } from '../../../src/registry/http/origin.js';
import type { RequestBound } from '../../../src/registry/http/sender.js';
import { Transport } from '../../../src/registry/http/transport.js';
import { fakeRetry, receivedBody, receivedHeader } from './wire-helpers.js';
import { recordingLogger } from '../../support/loggers.js';

export const REGISTRY = 'registry.test';
export const ORIGIN = 'https://registry.test';
export const AUTH_ORIGIN = 'https://auth.test';
export const BEARER_CHALLENGE = `Bearer realm="${AUTH_ORIGIN}/token",service="${REGISTRY}"`;
export const REPO: RepositoryName = { registry: REGISTRY, repository: 'acme/app' };
export const ALICE: Credential = { username: 'alice', password: 's3cret', source: 'inputs' };

/** A request as a mock peer received it. */
export interface Received {
  method: string;
  path: string;
  authorization: string | undefined;
  accept: string | undefined;
  contentType: string | undefined;
  contentLength: string | undefined;
  body: string;
}

/** A client for REGISTRY (with `credential`, if any, obeying `bound`) whose every request goes to `agent`. */
export function wireClient(
  agent: MockAgent,
  credential?: Credential,
  bound?: RequestBound,
  onStreamed?: (bytes: number) => void,
) {
  const logger = recordingLogger();
  const retry = fakeRetry();
  const client: RegistryApi = createRegistryClient({
    credentials: staticStore(credential === undefined ? [] : [{ registry: REGISTRY, credential }]),
    insecureRegistries: [],
    logger,
    onSecret: () => undefined,
    dispatcher: agent,
    retry: retry.policy,
    signal: bound,
    runtime: onStreamed === undefined ? {} : { onStreamed },
  });
  return { client, logger, sleeps: retry.sleeps };
}

/** The auth layer alone, for REGISTRY (with `credential`), over `agent`: for requests no client operation makes first. */
export function wireSession(agent: MockAgent, credential: Credential): RegistrySession {
  const logger = recordingLogger();
  return new RegistrySession({
    transport: new Transport({ dispatcher: agent, retry: fakeRetry().policy }),
    origins: new OriginResolver({ insecureRegistries: [], logger }),
    credentials: staticStore([{ registry: REGISTRY, credential }]),
    onSecret: () => undefined,
    logger,
  });
}

/**
 * Answers every request to ORIGIN that carries no Authorization with 401 and `challenge`, as a registry with auth
 * does; returns the paths it refused. Registered before the test's own replies, which then see only the rest.
 */
export function challengeAnonymous(agent: MockAgent, challenge = BEARER_CHALLENGE): string[] {
  const refused: string[] = [];
  agent
    .get(ORIGIN)
    .intercept({
      method: /.*/,
      path: () => true,
      headers: (headers: Record<string, string>) => headers['authorization'] === undefined,
    })
    .reply((request) => {
      refused.push(`${request.method} ${request.path}`);
      return { statusCode: 401, data: '', responseOptions: { headers: { 'www-authenticate': challenge } } };
    })
    .persist();
  return refused;
}

/** A token server at AUTH_ORIGIN/token handing out tok-1, tok-2, …; returns the scopes of every call. */
export function tokenServer(agent: MockAgent): string[][] {
  const calls: string[][] = [];
  agent
    .get(AUTH_ORIGIN)
    .intercept({ path: (path) => path.startsWith('/token') })
    .reply((request) => {
      calls.push(new URL(request.path, AUTH_ORIGIN).searchParams.getAll('scope'));
      return { statusCode: 200, data: JSON.stringify({ token: `tok-${calls.length}`, expires_in: 300 }) };
    })
    .persist();
  return calls;
}

/** Records every request `origin` gets for `method` and `path`, answering each with `reply(index)`. */
export function recordRequests(
  agent: MockAgent,
  origin: string,
  match: { method: string | RegExp; path: string | ((path: string) => boolean) },
  reply: (
    index: number,
    received: Received,
  ) => { status: number; body?: string | Buffer; headers?: Record<string, string> },
): Received[] {
  const received: Received[] = [];
  agent
    .get(origin)
    .intercept(match)
    .reply(async (request) => {
      const entry: Received = {
        method: request.method,
        path: request.path,
        authorization: receivedHeader(request, 'authorization'),
        accept: receivedHeader(request, 'accept'),
        contentType: receivedHeader(request, 'content-type'),
        contentLength: receivedHeader(request, 'content-length'),
        body: await receivedBody(request),
      };
      received.push(entry);
      const { status, body = '', headers = {} } = reply(received.length - 1, entry);
      return { statusCode: status, data: body, responseOptions: { headers } };
    })
    .persist();
  return received;
}

/** A blob and its descriptor. */
export function blob(text: string, mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip') {
  const bytes = Buffer.from(text);
  const descriptor: Descriptor = { mediaType, digest: sha256Digest(bytes), size: bytes.byteLength };
  return { bytes, descriptor, digest: descriptor.digest as Digest };
}

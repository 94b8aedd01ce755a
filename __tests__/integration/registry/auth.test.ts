// The client against real registries in htpasswd (Basic) and token auth: the first request already carries the
// credentials, one token covers every declared repository, and refused credentials fail once, clearly, without
// a retry storm (counted at the registry and at the token server).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Descriptor } from '../../../src/oci/manifest.js';
import type { RepositoryName } from '../../../src/oci/reference.js';
import type { RegistryApi } from '../../../src/registry/api.js';
import { AuthenticationError } from '../../../src/registry/auth/authentication-error.js';
import { createRegistryClient } from '../../../src/registry/create-client.js';
import { staticStore } from '../../../src/registry/credentials/chain.js';
import { describeError } from '../../../src/action/describe-error.js';
import { RegistryError } from '../../../src/registry/http/registry-error.js';
import { seedImage, type SeededImage } from '../../../testkit/images.js';
import { parseJsonBytes } from '../../../testkit/json.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { recordingDispatcher, type RecordingDispatcher } from '../../support/recording-dispatcher.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import type { TestTokenServer } from '../../../testkit/token-server.js';
import { recordingLogger } from '../../support/loggers.js';

const SOURCE = 'client/auth-source';
const TARGET = 'client/auth-target';

const registries = {} as Record<'htpasswd' | 'token', TestRegistry>;
const images = {} as Record<'htpasswd' | 'token', SeededImage>;
let wire: RecordingDispatcher;
let clients: RegistryApi[];
let secrets: string[];

beforeAll(async () => {
  [registries.htpasswd, registries.token] = await Promise.all([
    startRegistry({ auth: 'htpasswd' }),
    startRegistry({ auth: 'token' }),
  ]);
  for (const mode of ['htpasswd', 'token'] as const) {
    images[mode] = await seedImage(new RawRegistry(registries[mode]), {
      repo: SOURCE,
      tag: 'v1',
      architecture: 'amd64',
    });
  }
});

afterAll(async () => {
  await Promise.all(Object.values(registries).map((registry) => registry.stop()));
});

beforeEach(() => {
  wire = recordingDispatcher();
  clients = [];
  secrets = [];
});

afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await wire.close();
});

/** A client for `registry` with the given password for its user (its real one by default), or none at all. */
function clientFor(registry: TestRegistry, password: string | 'none' = registry.password ?? ''): RegistryApi {
  const username = registry.username ?? '';
  const credentials = staticStore(
    password === 'none'
      ? []
      : [{ registry: registry.host, credential: { username, password, source: 'inputs' } }],
  );
  const client = createRegistryClient({
    credentials,
    insecureRegistries: [registry.host],
    logger: recordingLogger(),
    onSecret: (secret) => secrets.push(secret),
    dispatcher: wire.dispatcher,
  });
  clients.push(client);
  return client;
}

function repository(registry: TestRegistry, name: string): RepositoryName {
  return { registry: registry.host, repository: name };
}

/** The config and layer descriptors of a seeded image. */
function blobsOf(image: SeededImage): Descriptor[] {
  const manifest = parseJsonBytes<{ config: Descriptor; layers: Descriptor[] }>(image.bytes);
  return [manifest.config, ...manifest.layers];
}

describe.each(['htpasswd', 'token'] as const)('a registry with %s auth', (auth) => {
  it('lets its user read and push; the first request, challenged, goes again with the credentials', async () => {
    const registry = registries[auth];
    const client = clientFor(registry);

    const read = await client.source(repository(registry, SOURCE)).manifest('v1');
    for (const blob of blobsOf(images[auth])) {
      await client.copyBlob(client.source(repository(registry, SOURCE)), repository(registry, TARGET), blob);
    }
    await client.putManifest(repository(registry, TARGET), 'pushed', read);

    expect(read.digest).toBe(images[auth].digest);
    const stored = await new RawRegistry(registry).getManifest(TARGET, 'pushed');
    expect(stored).toMatchObject({ status: 200, digest: images[auth].digest });
    // No `/v2/` ping: the first request's own challenge tells how to authenticate.
    expect(wire.sentTo(registry.url).slice(0, 2)).toEqual([
      expect.objectContaining({ method: 'GET', path: `/v2/${SOURCE}/manifests/v1` }),
      expect.objectContaining({ method: 'GET', path: `/v2/${SOURCE}/manifests/v1` }),
    ]);
    expect(wire.sentTo(registry.url).map((sent) => sent.path)).not.toContain('/v2/');
    expect(secrets).toContain(registry.password);
  });
});

describe('a registry with htpasswd auth', () => {
  it('fails once on a wrong password, saying whose credentials were refused', async () => {
    const registry = registries.htpasswd;

    const reading = clientFor(registry, 'wrong-password').source(repository(registry, SOURCE)).manifest('v1');

    await expect(reading).rejects.toThrow(RegistryError);
    await expect(reading).rejects.toMatchObject({
      status: 401,
      message:
        `failed to read manifest ${registry.host}/${SOURCE}:v1: 401 Unauthorized ` +
        '(UNAUTHORIZED: authentication required)',
      credentialSource: { registry: registry.host, source: 'inputs' },
    });
    // The challenged request, and the one the Basic credentials were refused on: no retry.
    expect(wire.sentTo(registry.url).map((sent) => sent.path)).toEqual([
      `/v2/${SOURCE}/manifests/v1`,
      `/v2/${SOURCE}/manifests/v1`,
    ]);
  });

  it('fails after the challenged request alone without credentials, saying none were found', async () => {
    const registry = registries.htpasswd;

    const reading = clientFor(registry, 'none').source(repository(registry, SOURCE)).manifest('v1');

    await expect(reading).rejects.toThrow(AuthenticationError);
    await expect(reading).rejects.toThrow(
      `failed to read manifest ${registry.host}/${SOURCE}:v1: failed to authenticate to ${registry.host}: ` +
        'it asks for a username and password (Basic) and none were found for it',
    );
    expect(wire.sentTo(registry.url).map((sent) => sent.path)).toEqual([`/v2/${SOURCE}/manifests/v1`]);
  });
});

describe('a registry with token auth', () => {
  let tokenServer: TestTokenServer;

  beforeAll(() => {
    tokenServer = registries.token.tokenServer!;
  });

  it('fails once on a wrong password: one refused token request, nothing but the challenged request at the registry', async () => {
    const registry = registries.token;
    const start = tokenServer.requests.length;

    const reading = clientFor(registry, 'wrong-password').source(repository(registry, SOURCE)).manifest('v1');

    await expect(reading).rejects.toThrow(RegistryError);
    await expect(reading).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(
        new RegExp(
          `^failed to read manifest ${registry.host}/${SOURCE}:v1: failed to authenticate to ${registry.host} ` +
            `as ${registry.username}: 401 Unauthorized`,
        ),
      ),
    });
    expect(tokenServer.requests.slice(start)).toEqual([
      expect.objectContaining({ status: 401, username: registry.username }),
    ]);
    expect(wire.sentTo(registry.url).map((sent) => sent.path)).toEqual([`/v2/${SOURCE}/manifests/v1`]);
  });

  it('asks for one token covering every declared repository, push scope first', async () => {
    const registry = registries.token;
    const declared = 'client/auth-declared';
    const client = clientFor(registry);
    const start = tokenServer.requests.length;
    client.declareAccess([
      { repository: repository(registry, SOURCE), push: false },
      { repository: repository(registry, declared), push: true },
    ]);

    const read = await client.source(repository(registry, SOURCE)).manifest('v1');
    await expect(
      client.headManifest(repository(registry, 'client/auth-other'), read.digest),
    ).resolves.toBeUndefined();
    const [config] = blobsOf(images.token);
    await expect(
      client.copyBlob(client.source(repository(registry, SOURCE)), repository(registry, declared), config!),
    ).resolves.toBe('mounted');

    // The undeclared repository needed a token of its own; everything declared was covered by the first.
    expect(tokenServer.requests.slice(start).map((request) => request.scopes)).toEqual([
      [`repository:${declared}:pull,push`, `repository:${SOURCE}:pull`],
      [`repository:${declared}:pull,push`, `repository:${SOURCE}:pull`, 'repository:client/auth-other:pull'],
    ]);
  });

  it('refuses anonymous access after one anonymous token, saying no credentials were found', async () => {
    const registry = registries.token;
    const start = tokenServer.requests.length;

    const reading = clientFor(registry, 'none').source(repository(registry, SOURCE)).manifest('v1');

    await expect(reading).rejects.toMatchObject({
      status: 401,
      credentialSource: { registry: registry.host, source: undefined },
    });
    const error = await reading.catch((failure: unknown) => failure);
    expect(describeError(error).message).toContain(`no credentials found for ${registry.host}`);
    expect(tokenServer.requests.slice(start)).toEqual([
      expect.objectContaining({ grant: 'anonymous', status: 200 }),
    ]);
    // Without credentials nothing leads: the challenged request, then once with the anonymous token; no ping.
    expect(wire.sentTo(registry.url).map((sent) => sent.path)).toEqual(
      Array.from({ length: 2 }, () => `/v2/${SOURCE}/manifests/v1`),
    );
  });
});

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MockAgent } from 'undici';
import { describeError } from '../../../src/action/describe-error.js';
import { pushScope } from '../../../src/registry/auth/session.js';
import { RegistryError } from '../../../src/registry/http/registry-error.js';
import {
  ALICE,
  AUTH_ORIGIN,
  BEARER_CHALLENGE,
  ORIGIN,
  REGISTRY,
  REPO,
  challengeAnonymous,
  recordRequests,
  tokenServer,
  wireClient,
  wireSession,
} from './client-helpers.js';
import { offlineAgent } from './wire-helpers.js';

const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}';
const MANIFEST_PATH = '/v2/acme/app/manifests/1.0';
const MANIFEST_PATHS = (path: string) => path.startsWith('/v2/acme/app/manifests/');
const UPLOAD_PATH = '/v2/acme/app/blobs/uploads/u1?digest=sha256%3Aabc';
const UNAUTHORIZED_BODY = JSON.stringify({
  errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }],
});

let agent: MockAgent;

beforeEach(() => {
  agent = offlineAgent();
});

afterEach(async () => {
  await agent.close();
});

const manifestReply = {
  status: 200,
  body: MANIFEST,
  headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
};
const unauthorized = (challenge = BEARER_CHALLENGE) => ({
  status: 401,
  body: UNAUTHORIZED_BODY,
  headers: { 'www-authenticate': challenge, 'content-type': 'application/json' },
});

describe('authentication', () => {
  it('answers the first request’s challenge and sends it again with a token for its scopes', async () => {
    const tokens = tokenServer(agent);
    const gets = recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATH }, (index) =>
      index === 0 ? unauthorized() : manifestReply,
    );

    const manifest = await wireClient(agent, ALICE).client.source(REPO).manifest('1.0');

    expect(Buffer.from(manifest.bytes).toString()).toBe(MANIFEST);
    expect(gets.map((get) => get.authorization)).toEqual([undefined, 'Bearer tok-1']);
    expect(tokens).toEqual([['repository:acme/app:pull']]);
  });

  it('lets one of many requests at once go out without a token; the others wait for its', async () => {
    const refused = challengeAnonymous(agent);
    const tokens = tokenServer(agent);
    const gets = recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATHS }, () => manifestReply);
    const { client } = wireClient(agent, ALICE);

    const tags = Array.from({ length: 16 }, (_, index) => `1.${index}`);
    await Promise.all(tags.map((tag) => client.source(REPO).manifest(tag)));

    expect(refused).toEqual(['GET /v2/acme/app/manifests/1.0']);
    expect(gets.map((get) => get.authorization)).toEqual(tags.map(() => 'Bearer tok-1'));
    expect(tokens).toEqual([['repository:acme/app:pull']]);
  });

  it('sends every request once to a registry that asks for no credentials', async () => {
    const gets = recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATHS }, () => manifestReply);
    const { client } = wireClient(agent);

    const tags = Array.from({ length: 16 }, (_, index) => `1.${index}`);
    await Promise.all(tags.map((tag) => client.source(REPO).manifest(tag)));

    expect(gets.map((get) => get.path).sort()).toEqual(
      tags.map((tag) => `/v2/acme/app/manifests/${tag}`).sort(),
    );
    expect(gets.map((get) => get.authorization)).toEqual(tags.map(() => undefined));
  });

  it('sends the requests to a registry it has no credentials for at once, not after a first answer', async () => {
    const tags = Array.from({ length: 16 }, (_, index) => `1.${index}`);
    const arrived: string[] = [];
    let allIn: () => void = () => undefined;
    const everyRequestIn = new Promise<void>((resolve) => (allIn = resolve));
    agent
      .get(ORIGIN)
      .intercept({ method: 'GET', path: MANIFEST_PATHS })
      .reply(async (request) => {
        arrived.push(request.path);
        if (arrived.length === tags.length) allIn();
        // Every answer waits for every request: a client that held the rest back for a first answer never gets one.
        const together = await Promise.race([everyRequestIn.then(() => true), sleep(1000).then(() => false)]);
        return together
          ? { statusCode: 200, data: MANIFEST, responseOptions: { headers: manifestReply.headers } }
          : { statusCode: 400, data: 'only one request came' };
      })
      .persist();
    const { client } = wireClient(agent);

    await Promise.all(tags.map((tag) => client.source(REPO).manifest(tag)));

    expect(arrived.sort()).toEqual(tags.map((tag) => `/v2/acme/app/manifests/${tag}`).sort());
  });

  it('sends each request again with one anonymous token when a registry it has no credentials for challenges', async () => {
    const refused = challengeAnonymous(agent);
    const tokens = tokenServer(agent);
    const gets = recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATHS }, () => manifestReply);
    const { client } = wireClient(agent);

    const tags = Array.from({ length: 4 }, (_, index) => `1.${index}`);
    await Promise.all(tags.map((tag) => client.source(REPO).manifest(tag)));

    expect(refused.sort()).toEqual(tags.map((tag) => `GET /v2/acme/app/manifests/${tag}`).sort());
    expect(gets.map((get) => get.authorization)).toEqual(tags.map(() => 'Bearer tok-1'));
    expect(tokens).toEqual([['repository:acme/app:pull']]);
  });

  it('sends again with the token a request whose challenge comes back after the token was minted', async () => {
    const tokens = tokenServer(agent);
    // Without a token each read is challenged; the later ones only after the first's token exists, as when a
    // registry answers some requests of a wave more slowly than the token server answers.
    ['1.0', '1.1', '1.2'].forEach((tag, index) =>
      agent
        .get(ORIGIN)
        .intercept({
          path: `/v2/acme/app/manifests/${tag}`,
          headers: (headers: Record<string, string>) => headers['authorization'] === undefined,
        })
        .reply(401, UNAUTHORIZED_BODY, { headers: { 'www-authenticate': BEARER_CHALLENGE } })
        .delay(1 + index * 100),
    );
    const gets = recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATHS }, () => manifestReply);
    const { client } = wireClient(agent);

    await Promise.all(['1.0', '1.1', '1.2'].map((tag) => client.source(REPO).manifest(tag)));

    expect(gets.map((get) => get.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
    expect(tokens).toHaveLength(1);
  });

  it('lets the next request lead when the first got no answer', async () => {
    const tokens = tokenServer(agent);
    agent.get(ORIGIN).intercept({ path: MANIFEST_PATH }).replyWithError(new Error('connection reset'));
    const gets = recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATH }, (index) =>
      index === 0 ? unauthorized() : manifestReply,
    );
    const { client } = wireClient(agent, ALICE);

    await expect(client.source(REPO).manifest('1.0')).rejects.toMatchObject({ status: 0 });
    await client.source(REPO).manifest('1.0');

    expect(gets.map((get) => get.authorization)).toEqual([undefined, 'Bearer tok-1']);
    expect(tokens).toHaveLength(1);
  });

  it('never lets a one-shot upload body be the request that is challenged', async () => {
    const refused = challengeAnonymous(agent);
    const tokens = tokenServer(agent);
    const puts = recordRequests(agent, ORIGIN, { method: 'PUT', path: UPLOAD_PATH }, () => ({ status: 201 }));
    const session = wireSession(agent, ALICE);

    const response = await session.request({
      registry: REGISTRY,
      target: UPLOAD_PATH,
      method: 'PUT',
      scopes: [pushScope(REPO)],
      what: 'upload a blob',
      body: () => Readable.from([Buffer.from('layer')]),
      contentLength: 5,
    });

    expect(response.status).toBe(201);
    expect(refused).toEqual(['GET /v2/']);
    expect(puts.map((put) => [put.authorization, put.body])).toEqual([['Bearer tok-1', 'layer']]);
    expect(tokens).toEqual([['repository:acme/app:pull,push']]);
  });

  it('gives up after one re-authentication, naming the manifest and whose credentials were refused', async () => {
    const tokens = tokenServer(agent);
    const gets = recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATH }, () => unauthorized());

    const reading = wireClient(agent, ALICE).client.source(REPO).manifest('1.0');

    await expect(reading).rejects.toThrow(RegistryError);
    await expect(reading).rejects.toMatchObject({
      status: 401,
      message:
        'failed to read manifest registry.test/acme/app:1.0: 401 Unauthorized ' +
        '(UNAUTHORIZED: authentication required)',
      credentialSource: { registry: REGISTRY, source: 'inputs' },
    });
    const error = await reading.catch((failure: unknown) => failure);
    expect(describeError(error).message).toContain(
      'credentials for registry.test came from inputs: check they are valid and may access this repository',
    );
    expect(gets.map((get) => get.authorization)).toEqual([undefined, 'Bearer tok-1', 'Bearer tok-2']);
    expect(tokens).toHaveLength(2);
  });

  it('does not send refused Basic credentials twice', async () => {
    const basic = 'Basic realm="registry"';
    const gets = recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATH }, () =>
      unauthorized(basic),
    );

    const reading = wireClient(agent, ALICE).client.source(REPO).manifest('1.0');

    await expect(reading).rejects.toThrow('401 Unauthorized (UNAUTHORIZED: authentication required)');
    await expect(reading).rejects.toMatchObject({
      credentialSource: { registry: REGISTRY, source: 'inputs' },
    });
    expect(gets.map((get) => get.authorization)).toEqual([
      undefined,
      `Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
    ]);
  });

  it('says so when there were no credentials to refuse', async () => {
    tokenServer(agent);
    recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATH }, () => unauthorized());

    const error = await wireClient(agent)
      .client.source(REPO)
      .manifest('1.0')
      .catch((failure: unknown) => failure);

    expect(error).toMatchObject({ status: 401, credentialSource: { registry: REGISTRY, source: undefined } });
    expect(describeError(error).message).toContain(`no credentials found for ${REGISTRY}`);
  });

  it('asks for one token covering every declared repository, push scopes first', async () => {
    const tokens = tokenServer(agent);
    recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATH }, (index) =>
      index === 0 ? unauthorized() : manifestReply,
    );
    const { client } = wireClient(agent, ALICE);
    client.declareAccess([
      { repository: REPO, push: false },
      { repository: { registry: REGISTRY, repository: 'acme/web' }, push: true },
      { repository: { registry: 'other.test', repository: 'acme/elsewhere' }, push: true },
    ]);

    await client.source(REPO).manifest('1.0');
    await client.source(REPO).manifest('1.0');

    expect(tokens).toEqual([['repository:acme/web:pull,push', 'repository:acme/app:pull']]);
  });
});

describe('an authentication failure, whatever the scheme', () => {
  const BASIC_CHALLENGE = 'Basic realm="registry"';
  /** The registry challenges every manifest read with `challenge`; a Bearer token server refuses `refusing`. */
  async function failure(challenge: string, credential: typeof ALICE | undefined) {
    agent
      .get(AUTH_ORIGIN)
      .intercept({ path: (path) => path.startsWith('/token') })
      .reply(() =>
        credential === undefined
          ? { statusCode: 200, data: JSON.stringify({ token: 'anonymous', expires_in: 300 }) }
          : { statusCode: 401, data: UNAUTHORIZED_BODY },
      )
      .persist();
    recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATH }, () => unauthorized(challenge));
    const error = await wireClient(agent, credential)
      .client.source(REPO)
      .manifest('1.0')
      .catch((caught: unknown) => caught);
    const { title, message } = describeError(error);
    return { title, hints: message.split('\n').slice(1) };
  }

  it.each([
    ['Basic', BASIC_CHALLENGE],
    ['Bearer', BEARER_CHALLENGE],
  ])('without credentials (%s): one title, and the hint to give some', async (_, challenge) => {
    expect(await failure(challenge, undefined)).toEqual({
      title: 'Authentication failed',
      hints: [
        `no credentials found for ${REGISTRY}: set the username and password inputs with registry: ${REGISTRY}, or log in to it first (docker/login-action)`,
      ],
    });
  });

  it.each([
    ['Basic: the registry refuses them', BASIC_CHALLENGE],
    ['Bearer: the token server refuses them', BEARER_CHALLENGE],
  ])('with refused credentials (%s): one title, and where they came from', async (_, challenge) => {
    expect(await failure(challenge, ALICE)).toEqual({
      title: 'Authentication failed',
      hints: [
        `credentials for ${REGISTRY} came from inputs: check they are valid and may access this repository`,
      ],
    });
  });
});

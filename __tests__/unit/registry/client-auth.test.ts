import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { MockAgent } from 'undici';
import { describeError } from '../../../src/action/errors.js';
import { RegistryError } from '../../../src/registry/errors.js';
import {
  ALICE,
  BEARER_CHALLENGE,
  ORIGIN,
  REGISTRY,
  REPO,
  answerPing,
  recordRequests,
  tokenServer,
  wireClient,
} from './client-helpers.js';
import { offlineAgent } from './wire-helpers.js';

const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}';
const MANIFEST_PATH = '/v2/acme/app/manifests/1.0';
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
  it('answers the ping’s challenge up front, so the first request already carries a token', async () => {
    answerPing(agent, 401);
    const tokens = tokenServer(agent);
    const gets = recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATH }, () => manifestReply);

    await wireClient(agent, ALICE).client.source(REPO).manifest('1.0');

    expect(gets.map((get) => get.authorization)).toEqual(['Bearer tok-1']);
    expect(tokens).toEqual([['repository:acme/app:pull']]);
  });

  it('gets a token on a 401 and sends the request again with it', async () => {
    answerPing(agent, 200);
    const tokens = tokenServer(agent);
    const gets = recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATH }, (index) =>
      index === 0 ? unauthorized() : manifestReply,
    );

    const manifest = await wireClient(agent, ALICE).client.source(REPO).manifest('1.0');

    expect(Buffer.from(manifest.bytes).toString()).toBe(MANIFEST);
    expect(gets.map((get) => get.authorization)).toEqual([undefined, 'Bearer tok-1']);
    expect(tokens).toEqual([['repository:acme/app:pull']]);
  });

  it('gives up after one re-authentication, naming the manifest and whose credentials were refused', async () => {
    answerPing(agent, 401);
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
    expect(gets.map((get) => get.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(tokens).toHaveLength(2);
  });

  it('does not send refused Basic credentials twice', async () => {
    const basic = 'Basic realm="registry"';
    agent
      .get(ORIGIN)
      .intercept({ path: '/v2/' })
      .reply(401, '', { headers: { 'www-authenticate': basic } });
    const gets = recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATH }, () =>
      unauthorized(basic),
    );

    const reading = wireClient(agent, ALICE).client.source(REPO).manifest('1.0');

    await expect(reading).rejects.toThrow('401 Unauthorized (UNAUTHORIZED: authentication required)');
    await expect(reading).rejects.toMatchObject({
      credentialSource: { registry: REGISTRY, source: 'inputs' },
    });
    expect(gets.map((get) => get.authorization)).toEqual([
      `Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
    ]);
  });

  it('says so when there were no credentials to refuse', async () => {
    answerPing(agent, 401);
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
    answerPing(agent, 401);
    const tokens = tokenServer(agent);
    recordRequests(agent, ORIGIN, { method: 'GET', path: MANIFEST_PATH }, () => manifestReply);
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

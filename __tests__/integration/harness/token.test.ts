import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'undici';
import { seedImage, type SeededImage } from '../../../testkit/images.js';
import { basicAuthorization } from '../../../testkit/raw-auth.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import type { TestTokenServer } from '../../../testkit/token-server.js';
import { ALL_MANIFEST_TYPES } from '../../../testkit/media-types.js';
import { rows } from '../../support/rows.js';

const repo = 'harness/token';

let registry: TestRegistry;
let tokenServer: TestTokenServer;
let image: SeededImage;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' });
  if (registry.tokenServer === undefined) throw new Error('token mode started without a token server');
  tokenServer = registry.tokenServer;
  image = await seedImage(new RawRegistry(registry), { repo, tag: 'v1', architecture: 'amd64' });
});

afterAll(async () => {
  await registry.stop();
});

/** Requests the token server received since `start`. */
function requestsSince(start: number) {
  return tokenServer.requests.slice(start);
}

async function tokenRequest(init: { method?: 'GET' | 'POST'; query?: string; form?: string; auth?: string }) {
  const headers: Record<string, string> = {};
  if (init.auth !== undefined) headers['authorization'] = init.auth;
  if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await request(`${tokenServer.realm}${init.query ?? ''}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.form,
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

/** What the registry answers to a manifest HEAD with this bearer token. */
async function registryStatusWith(token: unknown, repository: string, reference: string): Promise<number> {
  const response = await request(`${registry.url}/v2/${repository}/manifests/${reference}`, {
    method: 'HEAD',
    headers: { authorization: `Bearer ${String(token)}`, accept: ALL_MANIFEST_TYPES },
  });
  await response.body.dump();
  return response.statusCode;
}

function decodeJwtPart(token: unknown, part: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(token).split('.')[part] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

describe('a registry with token auth', () => {
  it('challenges with the token server as realm', async () => {
    const response = await request(`${registry.url}/v2/`);
    await response.body.dump();

    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      `Bearer realm="${tokenServer.realm}",service="${tokenServer.service}"`,
    );
  });

  it('lets the valid user push and pull, with the scope it asked for', async () => {
    const start = tokenServer.requests.length;
    const raw = new RawRegistry(registry);
    const pushed = await seedImage(raw, { repo, tag: 'v2', architecture: 'arm64', variant: 'v8' });
    const fetched = await raw.getManifest(repo, 'v2');

    expect(fetched).toMatchObject({ status: 200, digest: pushed.digest });
    expect(Buffer.from(fetched.bytes).equals(Buffer.from(pushed.bytes))).toBe(true);
    expect(requestsSince(start)).toEqual([
      expect.objectContaining({
        method: 'GET',
        grant: 'basic',
        username: registry.username,
        scopes: [`repository:${repo}:pull,push`],
        status: 200,
        granted: [{ type: 'repository', name: repo, actions: ['pull', 'push'] }],
        params: { service: [tokenServer.service], scope: [`repository:${repo}:pull,push`] },
      }),
      expect.objectContaining({ scopes: [`repository:${repo}:pull`], status: 200 }),
    ]);
  });

  it('refuses a wrong password at the token server with 401', async () => {
    const start = tokenServer.requests.length;
    const raw = new RawRegistry(registry, { username: registry.username ?? '', password: 'wrong' });

    await expect(raw.getManifest(repo, 'v1')).rejects.toMatchObject({
      name: 'UnexpectedStatusError',
      status: 401,
      url: expect.stringContaining(tokenServer.realm),
    });
    expect(requestsSince(start)).toEqual([
      expect.objectContaining({ grant: 'basic', username: registry.username, status: 401, granted: [] }),
    ]);
  });

  it('gives anonymous callers a token that grants nothing, so the registry answers 401', async () => {
    const start = tokenServer.requests.length;
    const raw = new RawRegistry(registry, 'anonymous');

    await expect(raw.getManifest(repo, 'v1')).resolves.toMatchObject({ status: 401 });
    await expect(raw.putBlob(repo, Buffer.from('anonymous push'))).rejects.toMatchObject({ status: 401 });
    expect(requestsSince(start)).toEqual([
      expect.objectContaining({
        grant: 'anonymous',
        scopes: [`repository:${repo}:pull`],
        status: 200,
        granted: [],
      }),
      expect.objectContaining({
        grant: 'anonymous',
        scopes: [`repository:${repo}:pull,push`],
        status: 200,
        granted: [],
      }),
    ]);
    expect(requestsSince(start).some((record) => 'username' in record)).toBe(false);
  });

  it('signs RS256 tokens with x5c whose claims the registry accepts, one access entry per scope', async () => {
    const other = 'harness/token-other';
    await seedImage(new RawRegistry(registry), { repo: other, tag: 'v1', architecture: 'arm64' });
    const scopes = [`repository:${repo}:pull`, `repository:${other}:pull`];
    const query = `?service=${tokenServer.service}&${scopes.map((scope) => `scope=${encodeURIComponent(scope)}`).join('&')}`;

    const { status, body } = await tokenRequest({ query, auth: basicAuthorization(credentials()) });

    expect(status).toBe(200);
    expect(body).toMatchObject({
      expires_in: 300,
      issued_at: expect.any(String),
      token: body['access_token'],
    });
    expect(decodeJwtPart(body['token'], 0)).toEqual({ typ: 'JWT', alg: 'RS256', x5c: [expect.any(String)] });
    expect(decodeJwtPart(body['token'], 1)).toMatchObject({
      iss: tokenServer.issuer,
      aud: tokenServer.service,
      sub: registry.username,
      access: [
        { type: 'repository', name: repo, actions: ['pull'] },
        { type: 'repository', name: other, actions: ['pull'] },
      ],
    });
    await expect(registryStatusWith(body['token'], repo, 'v1')).resolves.toBe(200);
    await expect(registryStatusWith(body['token'], other, 'v1')).resolves.toBe(200);
    await expect(registryStatusWith(body['token'], 'harness/not-granted', 'v1')).resolves.toBe(401);
  });

  it('has a registry that checks the signature: a token with edited claims is refused', async () => {
    const query = `?service=${tokenServer.service}&scope=${encodeURIComponent(`repository:${repo}:pull`)}`;
    const { body } = await tokenRequest({ query, auth: basicAuthorization(credentials()) });
    const [header, , signature] = String(body['token']).split('.');
    const edited = { ...decodeJwtPart(body['token'], 1), sub: 'mallory' };
    const forged = [header, Buffer.from(JSON.stringify(edited)).toString('base64url'), signature].join('.');

    await expect(registryStatusWith(body['token'], repo, 'v1')).resolves.toBe(200);
    await expect(registryStatusWith(forged, repo, 'v1')).resolves.toBe(401);
  });

  it('issues a refresh token on the OAuth2 password grant and honours it', async () => {
    const { username, password } = credentials();
    const scope = `repository:${repo}:pull`;
    const passwordGrant = new URLSearchParams({
      grant_type: 'password',
      username,
      password,
      service: tokenServer.service,
      client_id: 'harness',
      access_type: 'offline',
      scope,
    });

    const first = await tokenRequest({ method: 'POST', form: passwordGrant.toString() });
    expect(first).toMatchObject({ status: 200, body: { scope, refresh_token: expect.any(String) } });
    const refreshGrant = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: String(first.body['refresh_token']),
      service: tokenServer.service,
      scope: `${scope} repository:harness/token-other:pull`,
    });
    const refreshed = await tokenRequest({ method: 'POST', form: refreshGrant.toString() });

    expect(refreshed.status).toBe(200);
    expect(refreshed.body['refresh_token']).toBeUndefined();
    await expect(registryStatusWith(refreshed.body['access_token'], repo, image.digest)).resolves.toBe(200);
    expect(tokenServer.requests.at(-1)).toMatchObject({
      method: 'POST',
      grant: 'refresh_token',
      username,
      scopes: [scope, 'repository:harness/token-other:pull'],
    });
  });

  it.each(
    rows([
      [
        'a wrong password grant',
        'POST',
        'grant_type=password&username=harness-user&password=wrong&scope=x:y:pull',
        401,
        'invalid_grant',
      ],
      [
        'an unknown refresh token',
        'POST',
        'grant_type=refresh_token&refresh_token=nope',
        401,
        'invalid_grant',
      ],
      ['an unsupported grant', 'POST', 'grant_type=client_credentials', 400, 'unsupported_grant_type'],
      ['a malformed scope', 'GET', '?scope=repository:nothing', 400, 'invalid_scope'],
      ['a scope without actions', 'GET', '?scope=repository:a/b:', 400, 'invalid_scope'],
    ]),
  )('refuses %s', async (_case, method, input, status, error) => {
    const answer = await tokenRequest(method === 'POST' ? { method, form: input } : { method, query: input });

    expect(answer).toEqual({ status, body: { error, error_description: expect.any(String) } });
    expect(tokenServer.requests.at(-1)).toMatchObject({ method, status, granted: [] });
  });

  it('keeps the name intact when it holds a port', async () => {
    const scope = 'repository:127.0.0.1:5000/team/app:pull,push';
    const { body } = await tokenRequest({
      query: `?scope=${encodeURIComponent(scope)}`,
      auth: basicAuthorization(credentials()),
    });

    expect(decodeJwtPart(body['token'], 1)['access']).toEqual([
      { type: 'repository', name: '127.0.0.1:5000/team/app', actions: ['pull', 'push'] },
    ]);
  });
});

function credentials() {
  return { username: registry.username ?? '', password: registry.password ?? '' };
}

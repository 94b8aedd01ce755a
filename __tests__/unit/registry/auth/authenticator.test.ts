import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { MockAgent } from 'undici';
import { Authenticator } from '../../../../src/registry/auth/authenticator.js';
import { repositoryScope } from '../../../../src/registry/auth/scopes.js';
import { staticStore } from '../../../../src/registry/credentials/chain.js';
import type { Credential } from '../../../../src/registry/credentials/credential-store.js';
import { RegistryError } from '../../../../src/registry/http/registry-error.js';
import { Transport } from '../../../../src/registry/http/transport.js';
import { fakeRetry, offlineAgent, receivedBody, receivedHeader } from '../wire-helpers.js';
import { recordingLogger } from '../../../support/loggers.js';

const REGISTRY = 'reg.example';
const AUTH_ORIGIN = 'https://auth.example';
const BEARER = `Bearer realm="${AUTH_ORIGIN}/token",service="reg.example"`;
const START = Date.parse('2026-10-21T07:28:00Z');

const pull = (repository: string) => repositoryScope(repository, ['pull']);
const push = (repository: string) => repositoryScope(repository, ['pull', 'push']);
const base64 = (text: string) => Buffer.from(text).toString('base64');

/** What the fake token server received. */
interface TokenCall {
  method: string;
  query: URLSearchParams;
  authorization: string | undefined;
  form: URLSearchParams;
}

type TokenReply = { statusCode: number; body: object | string };

let agent: MockAgent;
let logger: ReturnType<typeof recordingLogger>;
let secrets: string[];
let clock: number;

beforeEach(() => {
  agent = offlineAgent();
  logger = recordingLogger();
  secrets = [];
  clock = START;
});

afterEach(async () => {
  await agent.close();
});

/** A token server at AUTH_ORIGIN/token answering every call with `reply(call, index)`; returns its call log. */
function tokenServer(reply: (call: TokenCall, index: number) => TokenReply): TokenCall[] {
  const calls: TokenCall[] = [];
  agent
    .get(AUTH_ORIGIN)
    .intercept({ path: (path) => path.startsWith('/token'), method: () => true })
    .reply(async (request) => {
      const call: TokenCall = {
        method: request.method,
        query: new URL(request.path, AUTH_ORIGIN).searchParams,
        authorization: receivedHeader(request, 'authorization'),
        form: new URLSearchParams(await receivedBody(request)),
      };
      calls.push(call);
      const { statusCode, body } = reply(call, calls.length - 1);
      return { statusCode, data: typeof body === 'string' ? body : JSON.stringify(body) };
    })
    .persist();
  return calls;
}

/** Tokens numbered by call: tok-1, tok-2, ... valid for `expiresIn` seconds. */
const numberedTokens =
  (expiresIn = 300) =>
  (_call: TokenCall, index: number): TokenReply => ({
    statusCode: 200,
    body: { token: `tok-${index + 1}`, expires_in: expiresIn },
  });

function authenticator(
  credential?: Credential,
  options: { isPlainHttp?: (registry: string) => boolean } = {},
) {
  const retry = fakeRetry(START);
  return new Authenticator({
    http: new Transport({ dispatcher: agent, retry: retry.policy }),
    credentials: staticStore(credential ? [{ registry: REGISTRY, credential }] : []),
    logger,
    onSecret: (secret) => secrets.push(secret),
    now: () => clock,
    ...options,
  });
}

const alice: Credential = { username: 'alice', password: 's3cret', source: 'inputs' };

describe('Bearer token GET', () => {
  it('sends Basic credentials, the service and every scope, and returns the token', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);

    await auth.challenge(REGISTRY, [BEARER], [push('acme/app'), pull('acme/base')]);

    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe('GET');
    expect(calls[0]?.authorization).toBe(`Basic ${base64('alice:s3cret')}`);
    expect(calls[0]?.query.get('service')).toBe('reg.example');
    expect(calls[0]?.query.getAll('scope')).toEqual([
      'repository:acme/app:pull,push',
      'repository:acme/base:pull',
    ]);
    expect(await auth.authorization(REGISTRY, [pull('acme/base')])).toBe('Bearer tok-1');
  });

  it('asks anonymously without credentials', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator();

    await auth.challenge(REGISTRY, [BEARER], [pull('library/alpine')]);

    expect(calls).toHaveLength(1);
    expect(calls[0]?.authorization).toBeUndefined();
    expect(calls[0]?.query.getAll('scope')).toEqual(['repository:library/alpine:pull']);
    expect(await auth.authorization(REGISTRY, [pull('library/alpine')])).toBe('Bearer tok-1');
  });

  it('asks anonymously when the credentials have a username but no password', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator({ username: 'alice', source: 'inputs' });

    await auth.challenge(REGISTRY, [BEARER], [pull('a')]);

    expect(calls[0]?.authorization).toBeUndefined();
  });

  it('prefers access_token over token', async () => {
    tokenServer(() => ({ statusCode: 200, body: { token: 'legacy', access_token: 'oauth' } }));
    const auth = authenticator(alice);

    await auth.challenge(REGISTRY, [BEARER], [pull('a')]);

    expect(await auth.authorization(REGISTRY, [pull('a')])).toBe('Bearer oauth');
  });

  it('keeps query parameters the realm already has', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator();

    await auth.challenge(
      REGISTRY,
      [`Bearer realm="${AUTH_ORIGIN}/token?tenant=t1",service="s"`],
      [pull('a')],
    );

    expect(calls[0]?.query.get('tenant')).toBe('t1');
    expect(calls[0]?.query.get('service')).toBe('s');
  });

  it('omits service when the challenge has none', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator();

    await auth.challenge(REGISTRY, [`Bearer realm="${AUTH_ORIGIN}/token"`], [pull('a')]);

    expect(calls[0]?.query.has('service')).toBe(false);
  });
});

describe('OAuth2 refresh-token POST', () => {
  it('exchanges an identity token with one space-separated scope field', async () => {
    const calls = tokenServer(() => ({
      statusCode: 200,
      body: { access_token: 'from-refresh', expires_in: 300 },
    }));
    const auth = authenticator({ identityToken: 'refresh-me', source: 'DOCKER_AUTH_CONFIG' });

    await auth.challenge(REGISTRY, [BEARER], [pull('acme/base'), push('acme/app')]);

    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.authorization).toBeUndefined();
    expect(Object.fromEntries(calls[0]?.form ?? [])).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-me',
      service: 'reg.example',
      client_id: 'multiarch-publish',
      scope: 'repository:acme/app:pull,push repository:acme/base:pull',
    });
    expect(await auth.authorization(REGISTRY, [pull('acme/base')])).toBe('Bearer from-refresh');
  });

  it.each([400, 401, 404, 405])('falls back to the GET with Basic credentials after a %i', async (status) => {
    const calls = tokenServer((call) =>
      call.method === 'POST'
        ? { statusCode: status, body: '' }
        : { statusCode: 200, body: { token: 'via-get' } },
    );
    const auth = authenticator({ ...alice, identityToken: 'refresh-me' });

    await auth.challenge(REGISTRY, [BEARER], [pull('a')]);

    expect(calls.map((call) => call.method)).toEqual(['POST', 'GET']);
    expect(calls[1]?.authorization).toBe(`Basic ${base64('alice:s3cret')}`);
    expect(calls[1]?.query.getAll('scope')).toEqual(['repository:a:pull']);
    expect(await auth.authorization(REGISTRY, [pull('a')])).toBe('Bearer via-get');
  });

  it('does not fall back without a username and password', async () => {
    const calls = tokenServer(() => ({
      statusCode: 401,
      body: { errors: [{ code: 'UNAUTHORIZED', message: 'bad token' }] },
    }));
    const auth = authenticator({ identityToken: 'expired', source: 'docker-credential-test' });

    await expect(auth.challenge(REGISTRY, [BEARER], [pull('a')])).rejects.toThrow(
      'failed to authenticate to reg.example with an identity token: 401 Unauthorized (UNAUTHORIZED: bad token)',
    );
    expect(calls.map((call) => call.method)).toEqual(['POST']);
  });

  it('does not fall back on a server error', async () => {
    const calls = tokenServer((call) =>
      call.method === 'POST' ? { statusCode: 403, body: '' } : { statusCode: 200, body: { token: 't' } },
    );
    const auth = authenticator({ ...alice, identityToken: 'refresh-me' });

    await expect(auth.challenge(REGISTRY, [BEARER], [pull('a')])).rejects.toThrow(
      /^failed to authenticate to reg.example as alice: 403 Forbidden/,
    );
    expect(calls.map((call) => call.method)).toEqual(['POST']);
  });
});

describe('token cache', () => {
  it('reuses a token for the scopes it covers: one call to the token server', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);

    await auth.challenge(REGISTRY, [BEARER], [push('acme/app'), pull('acme/base')]);
    const answers = await Promise.all([
      auth.authorization(REGISTRY, [push('acme/app'), pull('acme/base')]),
      auth.authorization(REGISTRY, [pull('acme/app')]),
      auth.authorization(REGISTRY, [pull('acme/base')]),
    ]);

    expect(answers).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
    expect(calls).toHaveLength(1);
  });

  it('asks once for concurrent requests that need a new token', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);

    await auth.challenge(REGISTRY, [BEARER], []);
    const answers = await Promise.all([
      auth.authorization(REGISTRY, [pull('a')]),
      auth.authorization(REGISTRY, [pull('a')]),
    ]);

    expect(answers).toEqual(['Bearer tok-1', 'Bearer tok-1']);
    expect(calls).toHaveLength(1);
  });

  it('merges new scopes with those already granted, push first, in one new token', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);

    await auth.challenge(REGISTRY, [BEARER], [pull('src/one')]);
    const forPush = await auth.authorization(REGISTRY, [push('dst/app')]);
    const forSource = await auth.authorization(REGISTRY, [pull('src/one')]);

    expect(calls.map((call) => call.query.getAll('scope'))).toEqual([
      ['repository:src/one:pull'],
      ['repository:dst/app:pull,push', 'repository:src/one:pull'],
    ]);
    expect([forPush, forSource]).toEqual(['Bearer tok-2', 'Bearer tok-2']);
  });

  it('learns the scheme from a ping without asking for a token, then asks on first use', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);

    await auth.challenge(REGISTRY, [BEARER], []);
    expect(calls).toHaveLength(0);

    expect(await auth.authorization(REGISTRY, [pull('a')])).toBe('Bearer tok-1');
    expect(calls.map((call) => call.query.getAll('scope'))).toEqual([['repository:a:pull']]);
  });

  it('adds the scope the challenge names', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);

    await auth.challenge(
      REGISTRY,
      [`${BEARER},scope="repository:acme/app:pull,push",error="insufficient_scope"`],
      [pull('acme/base')],
    );

    expect(calls[0]?.query.getAll('scope')).toEqual([
      'repository:acme/app:pull,push',
      'repository:acme/base:pull',
    ]);
  });

  it('ignores a malformed scope in the challenge', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);

    await auth.challenge(REGISTRY, [`${BEARER},scope="nonsense"`], [pull('a')]);

    expect(calls[0]?.query.getAll('scope')).toEqual(['repository:a:pull']);
  });

  it('renews 10 s before expiry, by the injected clock', async () => {
    const calls = tokenServer(numberedTokens(300));
    const auth = authenticator(alice);
    await auth.challenge(REGISTRY, [BEARER], [pull('a')]);

    clock = START + 289_999;
    expect(await auth.authorization(REGISTRY, [pull('a')])).toBe('Bearer tok-1');
    clock = START + 290_000;
    expect(await auth.authorization(REGISTRY, [pull('a')])).toBe('Bearer tok-2');
    expect(calls).toHaveLength(2);
  });

  it('counts a short expires_in as 60 s', async () => {
    const calls = tokenServer(numberedTokens(10));
    const auth = authenticator(alice);
    await auth.challenge(REGISTRY, [BEARER], [pull('a')]);

    clock = START + 49_999;
    expect(await auth.authorization(REGISTRY, [pull('a')])).toBe('Bearer tok-1');
    expect(calls).toHaveLength(1);
  });

  it('starts over when the registry names another token server', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);
    await auth.challenge(REGISTRY, [BEARER], [pull('a')]);

    await auth.challenge(REGISTRY, [`Bearer realm="${AUTH_ORIGIN}/token2",service="other"`], [pull('a')]);

    expect(calls.map((call) => call.query.get('service'))).toEqual(['reg.example', 'other']);
    expect(await auth.authorization(REGISTRY, [pull('a')])).toBe('Bearer tok-2');
  });

  it('keeps registries apart', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);
    await auth.challenge(REGISTRY, [BEARER], [pull('a')]);

    expect(await auth.authorization('other.example', [pull('a')])).toBeUndefined();
    await auth.challenge('other.example', [BEARER], [pull('a')]);

    expect(await auth.authorization('other.example', [pull('a')])).toBe('Bearer tok-2');
    expect(calls[1]?.authorization).toBeUndefined();
  });
});

describe('refusals', () => {
  it('reports a wrong password with the user and the token server’s reason', async () => {
    tokenServer(() => ({ statusCode: 401, body: { details: 'incorrect username or password' } }));
    const auth = authenticator(alice);

    const failure = auth.challenge(REGISTRY, [BEARER], [pull('a')]);

    await expect(failure).rejects.toThrow(
      'failed to authenticate to reg.example as alice: 401 Unauthorized ({"details":"incorrect username or password"})',
    );
    await expect(failure).rejects.toBeInstanceOf(RegistryError);
    await expect(failure).rejects.toMatchObject({ status: 401 });
  });

  it('reports an anonymous refusal as such', async () => {
    tokenServer(() => ({
      statusCode: 401,
      body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
    }));
    const auth = authenticator();

    await expect(auth.challenge(REGISTRY, [BEARER], [pull('private/app')])).rejects.toThrow(
      'failed to authenticate to reg.example anonymously: 401 Unauthorized (UNAUTHORIZED: authentication required)',
    );
  });

  it('reports a token response without a token', async () => {
    tokenServer(() => ({ statusCode: 200, body: { expires_in: 300 } }));
    const auth = authenticator(alice);

    await expect(auth.challenge(REGISTRY, [BEARER], [pull('a')])).rejects.toThrow(
      `failed to authenticate to reg.example as alice: the token server's answer has no "access_token" or "token"`,
    );
  });

  it('asks again after a refusal instead of remembering it', async () => {
    const calls = tokenServer((_call, index) =>
      index === 0 ? { statusCode: 401, body: '' } : { statusCode: 200, body: { token: 'second' } },
    );
    const auth = authenticator(alice);
    await expect(auth.challenge(REGISTRY, [BEARER], [pull('a')])).rejects.toThrow(/401/);

    expect(await auth.authorization(REGISTRY, [pull('a')])).toBe('Bearer second');
    expect(calls).toHaveLength(2);
  });

  it.each<[string, string[]]>([
    ['no challenge', []],
    ['an unknown scheme only', ['Negotiate abc==']],
    ['garbage', ['=,,"']],
  ])('refuses %s', async (_name, header) => {
    const auth = authenticator(alice);
    await expect(auth.challenge(REGISTRY, header, [pull('a')])).rejects.toThrow(
      `failed to authenticate to reg.example: expected a Bearer or Basic challenge, got WWW-Authenticate ${JSON.stringify(header)}`,
    );
  });

  it('refuses an http realm for an https registry without calling it', async () => {
    const auth = authenticator(alice);
    await expect(
      auth.challenge(REGISTRY, ['Bearer realm="http://auth.example/token",service="s"'], [pull('a')]),
    ).rejects.toThrow('refusing token realm "http://auth.example/token" of reg.example: expected https');
    expect(secrets).not.toContain(base64('alice:s3cret'));
  });

  it('accepts an http realm for a registry reached over http', async () => {
    const calls: string[] = [];
    agent
      .get('http://127.0.0.1:5001')
      .intercept({ path: (path) => path.startsWith('/auth') })
      .reply((request) => {
        calls.push(request.path);
        return { statusCode: 200, data: JSON.stringify({ token: 'local' }) };
      });
    const auth = authenticator(undefined, { isPlainHttp: (registry) => registry === REGISTRY });

    await auth.challenge(
      REGISTRY,
      ['Bearer realm="http://127.0.0.1:5001/auth",service="local"'],
      [pull('a')],
    );

    expect(calls).toEqual(['/auth?service=local&scope=repository%3Aa%3Apull']);
    expect(await auth.authorization(REGISTRY, [pull('a')])).toBe('Bearer local');
  });
});

describe('fixed credentials', () => {
  it('answers a Basic challenge with the username and password', async () => {
    const auth = authenticator(alice);

    await auth.challenge(REGISTRY, ['Basic realm="Registry Realm"'], [pull('a')]);

    expect(await auth.authorization(REGISTRY, [push('b')])).toBe(`Basic ${base64('alice:s3cret')}`);
  });

  it('prefers Bearer when both are offered', async () => {
    tokenServer(numberedTokens());
    const auth = authenticator(alice);

    await auth.challenge(REGISTRY, [`Basic realm="r", ${BEARER}`], [pull('a')]);

    expect(await auth.authorization(REGISTRY, [pull('a')])).toBe('Bearer tok-1');
  });

  it.each<[string, Credential | undefined, string]>([
    ['no credentials', undefined, 'none were found for it'],
    [
      'an identity token only',
      { identityToken: 'x', source: 'DOCKER_AUTH_CONFIG' },
      'the credentials from DOCKER_AUTH_CONFIG have none',
    ],
  ])('refuses a Basic challenge with %s', async (_name, credential, reason) => {
    const auth = authenticator(credential);
    await expect(auth.challenge(REGISTRY, ['Basic realm="r"'], [pull('a')])).rejects.toThrow(
      `failed to authenticate to reg.example: it asks for a username and password (Basic) and ${reason}`,
    );
  });

  it('sends a registry token as is, without asking the token server', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator({ registryToken: 'reg-token', source: '~/.docker/config.json' });

    await auth.challenge(REGISTRY, [BEARER], [push('a')]);

    expect(await auth.authorization(REGISTRY, [push('a')])).toBe('Bearer reg-token');
    expect(calls).toHaveLength(0);
    expect(secrets).toContain('reg-token');
  });

  it('sends nothing before the first challenge', async () => {
    const auth = authenticator(alice);
    expect(await auth.authorization(REGISTRY, [pull('a')])).toBeUndefined();
  });
});

describe('invalidate', () => {
  it('drops the token once per scope set; a second 401 on the new token stops the loop', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);
    const scopes = [push('a')];
    await auth.challenge(REGISTRY, [BEARER], scopes);

    expect(auth.invalidate(REGISTRY, 'Bearer tok-1')).toBe(true);
    await auth.challenge(REGISTRY, [BEARER], scopes);
    expect(await auth.authorization(REGISTRY, scopes)).toBe('Bearer tok-2');

    expect(auth.invalidate(REGISTRY, 'Bearer tok-2')).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it('lets overlapping requests retry with the token another one already renewed', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);
    const scopes = [push('a')];
    await auth.challenge(REGISTRY, [BEARER], scopes);

    // Two requests carried tok-1 and both got a 401; the first re-authenticates.
    expect(auth.invalidate(REGISTRY, 'Bearer tok-1')).toBe(true);
    await auth.challenge(REGISTRY, [BEARER], scopes);
    expect(auth.invalidate(REGISTRY, 'Bearer tok-1')).toBe(true);
    await auth.challenge(REGISTRY, [BEARER], scopes);

    expect(await auth.authorization(REGISTRY, scopes)).toBe('Bearer tok-2');
    expect(calls).toHaveLength(2);
  });

  it('allows another retry once the token was renewed for its age', async () => {
    tokenServer(numberedTokens(300));
    const auth = authenticator(alice);
    const scopes = [pull('a')];
    await auth.challenge(REGISTRY, [BEARER], scopes);
    expect(auth.invalidate(REGISTRY, 'Bearer tok-1')).toBe(true);
    await auth.challenge(REGISTRY, [BEARER], scopes);

    clock = START + 300_000;
    expect(await auth.authorization(REGISTRY, scopes)).toBe('Bearer tok-3');
    expect(auth.invalidate(REGISTRY, 'Bearer tok-3')).toBe(true);
  });

  it('gives up at once on refused Basic credentials', async () => {
    const auth = authenticator(alice);
    await auth.challenge(REGISTRY, ['Basic realm="r"'], [pull('a')]);

    expect(auth.invalidate(REGISTRY, `Basic ${base64('alice:s3cret')}`)).toBe(false);
  });

  it('lets a request retry while the registry has not challenged yet', async () => {
    const auth = authenticator(alice);
    expect(auth.invalidate(REGISTRY, 'Bearer from-elsewhere')).toBe(true);
  });
});

describe('secrets', () => {
  it('hands every credential and minted token to onSecret and logs none of them', async () => {
    // The POST fails over to the GET, so both the identity token and the Basic credential are used.
    const tokens = numberedTokens(300);
    tokenServer((call, index) =>
      call.method === 'POST' ? { statusCode: 404, body: '' } : tokens(call, index),
    );
    const auth = authenticator({ ...alice, identityToken: 'refresh-me' });
    await auth.challenge(REGISTRY, [BEARER], [pull('a')]);
    clock = START + 300_000;
    await auth.authorization(REGISTRY, [pull('a')]);

    const expected = ['s3cret', 'refresh-me', 'tok-2', 'tok-4'];
    expect(secrets).toEqual(expect.arrayContaining(expected));
    const logged = [...logger.debugs, ...logger.infos, ...logger.warnings].join('\n');
    for (const secret of [...expected, base64('alice:s3cret')]) expect(logged).not.toContain(secret);
  });

  it('hands the Basic credential to onSecret before it is sent', async () => {
    const calls = tokenServer(numberedTokens());
    const auth = authenticator(alice);

    await auth.challenge(REGISTRY, [BEARER], [pull('a')]);

    expect(secrets).toContain(base64('alice:s3cret'));
    expect(calls[0]?.authorization).toBe(`Basic ${base64('alice:s3cret')}`);
  });

  it('logs which source supplied credentials, the realm and the scopes', async () => {
    tokenServer(numberedTokens());
    const auth = authenticator(alice);

    await auth.challenge(REGISTRY, [BEARER], [push('acme/app')]);

    expect(logger.debugs).toEqual(
      expect.arrayContaining([
        'auth reg.example: credentials from inputs (user alice)',
        'auth reg.example: token from https://auth.example/token (service reg.example) as alice for repository:acme/app:pull,push',
      ]),
    );
  });
});

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Agent, type MockAgent } from 'undici';
import { RegistryError } from '../../../../src/registry/http/registry-error.js';
import { expectStatus } from '../../../../src/registry/http/response.js';
import { Transport, type TransportOptions } from '../../../../src/registry/http/transport.js';
import { defaultUserAgent } from '../../../../src/registry/http/user-agent.js';
import { fakeRetry, offlineAgent, receivedBody, receivedHeader } from '../wire-helpers.js';
import { recordingLogger } from '../../../support/loggers.js';
import { rows } from '../../../support/rows.js';

const REGISTRY = 'https://registry.test';
const STORAGE = 'https://storage.test';
const BLOB_PATH = '/v2/acme/app/blobs/sha256:abc';

let agent: MockAgent;
let retry: ReturnType<typeof fakeRetry>;
let logger: ReturnType<typeof recordingLogger>;

beforeEach(() => {
  agent = offlineAgent();
  retry = fakeRetry();
  logger = recordingLogger();
});

afterEach(async () => {
  await agent.close();
});

function transport(options: TransportOptions = {}): Transport {
  return new Transport({ dispatcher: agent, logger, retry: retry.policy, ...options });
}

function get(path: string, extra: { authorization?: string } = {}) {
  return transport().request({ method: 'GET', url: new URL(path, REGISTRY), ...extra });
}

describe('retries', () => {
  it('waits the Retry-After seconds of a 429, then returns the success', async () => {
    const registry = agent.get(REGISTRY);
    registry.intercept({ path: '/v2/' }).reply(429, '', { headers: { 'retry-after': '7' } });
    registry.intercept({ path: '/v2/' }).reply(200, 'ok');

    const response = await get('/v2/');

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(retry.sleeps).toEqual([7000]);
  });

  it('waits until the Retry-After HTTP date of a 429', async () => {
    const registry = agent.get(REGISTRY);
    // The fake clock stands at 2026-10-21T07:28:00Z.
    const retryAfter = 'Wed, 21 Oct 2026 07:28:30 GMT';
    registry.intercept({ path: '/v2/' }).reply(429, '', { headers: { 'retry-after': retryAfter } });
    registry.intercept({ path: '/v2/' }).reply(200, 'ok');

    expect((await get('/v2/')).status).toBe(200);
    expect(retry.sleeps).toEqual([30_000]);
  });

  it('caps a Retry-After longer than maxRetryAfterMs', async () => {
    const registry = agent.get(REGISTRY);
    registry.intercept({ path: '/v2/' }).reply(503, '', { headers: { 'retry-after': '3600' } });
    registry.intercept({ path: '/v2/' }).reply(200, 'ok');

    expect((await get('/v2/')).status).toBe(200);
    expect(retry.sleeps).toEqual([60_000]);
  });

  it('backs off after a 5xx and logs the retry at info with the redacted URL', async () => {
    const registry = agent.get(REGISTRY);
    registry.intercept({ path: '/v2/a/blobs/uploads/x?_state=secret' }).reply(502, 'bad gateway');
    registry.intercept({ path: '/v2/a/blobs/uploads/x?_state=secret' }).reply(200, 'ok');

    const response = await get('/v2/a/blobs/uploads/x?_state=secret');

    expect(response.status).toBe(200);
    // random() = 0.5 with equal jitter: 100 ms fixed + 50 ms of the 100 ms random half.
    expect(retry.sleeps).toEqual([150]);
    expect(logger.infos).toEqual([
      'retrying GET https://registry.test/v2/a/blobs/uploads/x?_state=redacted after 502 Bad Gateway: ' +
        'attempt 2 of 5 in 150 ms',
    ]);
  });

  it('retries a connection reset', async () => {
    const registry = agent.get(REGISTRY);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    registry.intercept({ path: '/v2/' }).replyWithError(reset);
    registry.intercept({ path: '/v2/' }).reply(200, 'ok');

    expect((await get('/v2/')).status).toBe(200);
    expect(retry.sleeps).toHaveLength(1);
    expect(logger.infos[0]).toContain('read ECONNRESET');
  });

  it('backs off exponentially and returns the last response when attempts run out', async () => {
    const registry = agent.get(REGISTRY);
    const body = JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'try later' }] });
    registry.intercept({ path: '/v2/' }).reply(503, body).times(5);

    const response = await get('/v2/');

    expect(response.status).toBe(503);
    expect(retry.sleeps).toEqual([150, 300, 600, 1200]);
    const failure = await expectStatus(response, [200], { method: 'GET', what: 'ping registry.test' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(RegistryError);
    expect(failure).toMatchObject({
      status: 503,
      codes: ['UNAVAILABLE'],
      message: 'failed to ping registry.test: 503 Service Unavailable (UNAVAILABLE: try later)',
    });
    agent.assertNoPendingInterceptors();
  });

  it('throws RegistryError with status 0 when network errors outlast the attempts', async () => {
    const registry = agent.get(REGISTRY);
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    registry.intercept({ path: '/v2/' }).replyWithError(refused).times(3);

    const failure = await transport({ retry: { ...retry.policy, maxAttempts: 3 } })
      .request({ method: 'GET', url: new URL('/v2/', REGISTRY) })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RegistryError);
    expect(failure).toMatchObject({
      status: 0,
      method: 'GET',
      url: 'https://registry.test/v2/',
      message: 'failed to GET https://registry.test/v2/ after 3 attempts: connect ECONNREFUSED 10.0.0.1:443',
      cause: refused,
    });
    expect(retry.sleeps).toHaveLength(2);
  });

  it('stops retrying when the next delay would pass maxTotalMs', async () => {
    const registry = agent.get(REGISTRY);
    registry
      .intercept({ path: '/v2/' })
      .reply(429, '', { headers: { 'retry-after': '20' } })
      .times(2);

    const response = await transport({ retry: { ...retry.policy, maxTotalMs: 30_000 } }).request({
      method: 'GET',
      url: new URL('/v2/', REGISTRY),
    });

    expect(response.status).toBe(429);
    expect(retry.sleeps).toEqual([20_000]);
  });

  it.each(
    rows([
      ['POST on 503', 'POST', 503],
      ['PATCH on 502', 'PATCH', 502],
      ['GET on 404', 'GET', 404],
      ['GET on 401', 'GET', 401],
      ['PUT on 400', 'PUT', 400],
    ]),
  )('does not retry %s', async (_name, method, status) => {
    agent.get(REGISTRY).intercept({ path: '/v2/x', method }).reply(status, '');

    const response = await transport().request({ method, url: new URL('/v2/x', REGISTRY) });

    expect(response.status).toBe(status);
    expect(retry.sleeps).toEqual([]);
  });

  it('does not retry a POST after a connection reset', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    agent.get(REGISTRY).intercept({ path: '/v2/a/blobs/uploads/', method: 'POST' }).replyWithError(reset);

    const failure = await transport()
      .request({ method: 'POST', url: new URL('/v2/a/blobs/uploads/', REGISTRY) })
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ name: 'RegistryError', status: 0, method: 'POST' });
    expect(retry.sleeps).toEqual([]);
  });

  it('retries a POST the caller declares idempotent', async () => {
    const registry = agent.get(REGISTRY);
    registry.intercept({ path: '/token', method: 'POST' }).reply(503, '');
    registry.intercept({ path: '/token', method: 'POST' }).reply(200, '{}');

    const response = await transport().request({
      method: 'POST',
      url: new URL('/token', REGISTRY),
      idempotent: true,
    });

    expect(response.status).toBe(200);
  });

  it('re-opens a stream body for the retry and sends the same bytes with Content-Length', async () => {
    const registry = agent.get(REGISTRY);
    const received: Array<{ body: string; length?: string; encoding?: string }> = [];
    const record = async (request: Parameters<typeof receivedBody>[0]) => {
      received.push({
        body: await receivedBody(request),
        length: receivedHeader(request, 'content-length'),
        encoding: receivedHeader(request, 'transfer-encoding'),
      });
    };
    const path = '/v2/a/blobs/uploads/u?digest=sha256%3Aabc';
    registry.intercept({ path, method: 'PUT' }).reply(async (request) => {
      await record(request);
      return { statusCode: 503, data: '' };
    });
    registry.intercept({ path, method: 'PUT' }).reply(async (request) => {
      await record(request);
      return { statusCode: 201, data: '' };
    });
    let opened = 0;

    const response = await transport().request({
      method: 'PUT',
      url: new URL(path, REGISTRY),
      body: () => {
        opened += 1;
        return Readable.from([Buffer.from('layer '), Buffer.from('bytes')]);
      },
      contentLength: 11,
    });

    expect(response.status).toBe(201);
    expect(opened).toBe(2);
    expect(received).toEqual([
      { body: 'layer bytes', length: '11', encoding: undefined },
      { body: 'layer bytes', length: '11', encoding: undefined },
    ]);
  });
});

describe('redirects', () => {
  it('does not send Authorization to another origin, and does send it to the registry', async () => {
    const seen: Record<string, string | undefined> = {};
    agent
      .get(REGISTRY)
      .intercept({ path: BLOB_PATH })
      .reply((request) => {
        seen.registry = receivedHeader(request, 'authorization');
        return {
          statusCode: 307,
          data: '',
          responseOptions: { headers: { location: `${STORAGE}/blob?X-Amz-Signature=s3cr3t` } },
        };
      });
    agent
      .get(STORAGE)
      .intercept({ path: '/blob?X-Amz-Signature=s3cr3t' })
      .reply((request) => {
        seen.storage = receivedHeader(request, 'authorization');
        return { statusCode: 200, data: 'blob' };
      });

    const response = await get(BLOB_PATH, { authorization: 'Bearer registry-token' });

    expect(await response.text()).toBe('blob');
    expect(response.url.href).toBe(`${STORAGE}/blob?X-Amz-Signature=s3cr3t`);
    expect(seen).toEqual({ registry: 'Bearer registry-token', storage: undefined });
  });

  it('keeps Authorization on a same-origin redirect and resolves a relative Location', async () => {
    const registry = agent.get(REGISTRY);
    let authorization: string | undefined;
    registry
      .intercept({ path: BLOB_PATH })
      .reply(302, '', { headers: { location: '../../other/blobs/sha256:abc' } });
    registry.intercept({ path: '/v2/acme/other/blobs/sha256:abc' }).reply((request) => {
      authorization = receivedHeader(request, 'authorization');
      return { statusCode: 200, data: 'blob' };
    });

    const response = await get(BLOB_PATH, { authorization: 'Bearer registry-token' });

    expect(response.url.pathname).toBe('/v2/acme/other/blobs/sha256:abc');
    expect(authorization).toBe('Bearer registry-token');
  });

  it('sends Authorization again when a redirect chain returns to the original origin', async () => {
    const seen: Array<string | undefined> = [];
    agent
      .get(REGISTRY)
      .intercept({ path: '/v2/first' })
      .reply(307, '', { headers: { location: `${STORAGE}/hop` } });
    agent
      .get(STORAGE)
      .intercept({ path: '/hop' })
      .reply((request) => {
        seen.push(receivedHeader(request, 'authorization'));
        return {
          statusCode: 307,
          data: '',
          responseOptions: { headers: { location: `${REGISTRY}/v2/back` } },
        };
      });
    agent
      .get(REGISTRY)
      .intercept({ path: '/v2/back' })
      .reply((request) => {
        seen.push(receivedHeader(request, 'authorization'));
        return { statusCode: 200, data: '' };
      });

    await get('/v2/first', { authorization: 'Bearer t' });

    expect(seen).toEqual([undefined, 'Bearer t']);
  });

  it('refuses a redirect from https to http', async () => {
    agent
      .get(REGISTRY)
      .intercept({ path: BLOB_PATH })
      .reply(307, '', { headers: { location: 'http://storage.test/blob' } });
    agent.get('http://storage.test').intercept({ path: '/blob' }).reply(200, 'blob');

    const failure = await get(BLOB_PATH).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RegistryError);
    expect(failure).toMatchObject({
      status: 307,
      message: `failed to GET ${REGISTRY}${BLOB_PATH}: refusing redirect from https to http (storage.test)`,
    });
    expect(agent.pendingInterceptors()).toHaveLength(1);
    expect(retry.sleeps).toEqual([]);
  });

  it.each([
    [10, 'follows'],
    [11, 'refuses'],
  ])('given %i redirects in a row, %s them', async (hops, outcome) => {
    const registry = agent.get(REGISTRY);
    for (let hop = 0; hop < hops; hop += 1) {
      registry
        .intercept({ path: `/hop/${hop}` })
        .reply(302, '', { headers: { location: `/hop/${hop + 1}` } });
    }
    registry.intercept({ path: `/hop/${hops}` }).reply(200, 'arrived');

    const result = await get('/hop/0').then(
      (response) => response.text(),
      (error: unknown) => error,
    );

    expect(result).toEqual(
      outcome === 'follows'
        ? 'arrived'
        : new RegistryError(
            `failed to GET ${REGISTRY}/hop/0: more than 10 redirects (last to ${REGISTRY}/hop/10)`,
            {
              method: 'GET',
              url: `${REGISTRY}/hop/0`,
              status: 302,
            },
          ),
    );
  });

  it('turns a 303 after a PUT into a GET without body', async () => {
    const registry = agent.get(REGISTRY);
    let received: { body: string; contentType?: string } | undefined;
    registry
      .intercept({ path: '/upload', method: 'PUT' })
      .reply(303, '', { headers: { location: '/result' } });
    registry.intercept({ path: '/result', method: 'GET' }).reply(async (request) => {
      received = { body: await receivedBody(request), contentType: receivedHeader(request, 'content-type') };
      return { statusCode: 200, data: 'done' };
    });

    const response = await transport().request({
      method: 'PUT',
      url: new URL('/upload', REGISTRY),
      headers: { 'Content-Type': 'application/octet-stream' },
      body: new TextEncoder().encode('payload'),
      followRedirects: true,
    });

    expect(response.status).toBe(200);
    expect(received).toEqual({ body: '', contentType: undefined });
  });

  it('replays the body on a 307 after a PUT', async () => {
    const registry = agent.get(REGISTRY);
    let body: string | undefined;
    registry
      .intercept({ path: '/upload', method: 'PUT' })
      .reply(307, '', { headers: { location: '/moved' } });
    registry.intercept({ path: '/moved', method: 'PUT' }).reply(async (request) => {
      body = await receivedBody(request);
      return { statusCode: 201, data: '' };
    });

    const response = await transport().request({
      method: 'PUT',
      url: new URL('/upload', REGISTRY),
      body: () => Readable.from([Buffer.from('payload')]),
      contentLength: 7,
      followRedirects: true,
    });

    expect(response.status).toBe(201);
    expect(body).toBe('payload');
  });

  it('returns the 3xx itself when redirects are not followed (the default for PUT)', async () => {
    agent
      .get(REGISTRY)
      .intercept({ path: '/upload', method: 'PUT' })
      .reply(307, '', { headers: { location: '/moved' } });

    const response = await transport().request({ method: 'PUT', url: new URL('/upload', REGISTRY) });

    expect(response.status).toBe(307);
    expect(response.headers['location']).toBe('/moved');
  });
});

describe('requests and responses', () => {
  it('sends our User-Agent, Accept-Encoding identity and an explicit Content-Length', async () => {
    let seen: Record<string, string | undefined> = {};
    agent
      .get(REGISTRY)
      .intercept({ path: '/v2/a/manifests/1.0', method: 'PUT' })
      .reply((request) => {
        seen = {
          userAgent: receivedHeader(request, 'user-agent'),
          acceptEncoding: receivedHeader(request, 'accept-encoding'),
          contentLength: receivedHeader(request, 'content-length'),
          contentType: receivedHeader(request, 'content-type'),
          transferEncoding: receivedHeader(request, 'transfer-encoding'),
        };
        return { statusCode: 201, data: '' };
      });

    await transport().request({
      method: 'PUT',
      url: new URL('/v2/a/manifests/1.0', REGISTRY),
      headers: { 'Content-Type': 'application/vnd.oci.image.index.v1+json', 'Transfer-Encoding': 'chunked' },
      body: new TextEncoder().encode('{"schemaVersion":2}'),
    });

    expect(seen).toEqual({
      userAgent: defaultUserAgent,
      acceptEncoding: 'identity',
      contentLength: '19',
      contentType: 'application/vnd.oci.image.index.v1+json',
      transferEncoding: undefined,
    });
  });

  it('sends Content-Length 0 on a POST without body', async () => {
    let contentLength: string | undefined;
    agent
      .get(REGISTRY)
      .intercept({ path: '/v2/a/blobs/uploads/', method: 'POST' })
      .reply((request) => {
        contentLength = receivedHeader(request, 'content-length');
        return { statusCode: 202, data: '' };
      });

    await transport().request({ method: 'POST', url: new URL('/v2/a/blobs/uploads/', REGISTRY) });

    expect(contentLength).toBe('0');
  });

  it.each([
    ['a stream body without contentLength', { body: () => Readable.from([]) }],
    ['a byte body whose contentLength disagrees', { body: new Uint8Array(3), contentLength: 4 }],
  ])('rejects %s before sending anything', async (_name, body) => {
    const failure = await transport()
      .request({ method: 'PUT', url: new URL('/v2/x', REGISTRY), ...body })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toMatch(/^PUT https:\/\/registry\.test\/v2\/x: .*contentLength/);
  });

  it('keeps each value of a repeated header and joins them in `headers`', async () => {
    const challenges = [
      'Bearer realm="https://auth.test/token",service="registry.test"',
      'Basic realm="registry"',
    ];
    agent
      .get(REGISTRY)
      .intercept({ path: '/v2/' })
      .reply(401, '', { headers: { 'www-authenticate': challenges } });

    const response = await get('/v2/');

    expect(response.headerValues('WWW-Authenticate')).toEqual(challenges);
    expect(response.headers['www-authenticate']).toBe(challenges.join(', '));
  });

  it.each([
    ['a declared Content-Length', { 'content-length': '2048' }],
    ['no Content-Length', {}],
  ])('refuses a body over the cap with %s', async (_name, headers) => {
    agent.get(REGISTRY).intercept({ path: '/v2/big' }).reply(200, Buffer.alloc(2048), { headers });

    const response = await get('/v2/big');
    const failure = await response.bytes(1024).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RegistryError);
    expect((failure as RegistryError).message).toMatch(
      /^failed to read the response to GET https:\/\/registry\.test\/v2\/big: .*1024/,
    );
  });

  it('reads a body within the cap as bytes', async () => {
    agent
      .get(REGISTRY)
      .intercept({ path: '/v2/small' })
      .reply(200, Buffer.from([1, 2, 3]));

    const response = await get('/v2/small');

    expect([...(await response.bytes(3))]).toEqual([1, 2, 3]);
  });

  it('streams a body', async () => {
    agent.get(REGISTRY).intercept({ path: '/v2/stream' }).reply(200, 'streamed bytes');

    const chunks: Buffer[] = [];
    for await (const chunk of (await get('/v2/stream')).stream()) chunks.push(Buffer.from(chunk));

    expect(Buffer.concat(chunks).toString()).toBe('streamed bytes');
  });

  it('logs method, redacted URL and status at debug, never the Authorization value', async () => {
    agent.get(REGISTRY).intercept({ path: '/v2/a?token=abc' }).reply(200, 'body-text');

    await (await get('/v2/a?token=abc', { authorization: 'Bearer very-secret' })).discard();

    expect(logger.debugs).toEqual([
      expect.stringMatching(/^GET https:\/\/registry\.test\/v2\/a\?token=redacted 200 \(/),
    ]);
    expect(logger.debugs.join('\n')).not.toMatch(/very-secret|body-text/);
  });
});

describe('registry notices', () => {
  it('surfaces each distinct 299 Warning once', async () => {
    const registry = agent.get(REGISTRY);
    const headers = {
      warning: ['299 - "repository is deprecated"', '299 - "use \\"v2\\" instead", 199 - "other"'],
    };
    registry.intercept({ path: '/v2/a' }).reply(200, '', { headers }).times(2);

    const http = transport();
    await (await http.request({ method: 'GET', url: new URL('/v2/a', REGISTRY) })).discard();
    await (await http.request({ method: 'GET', url: new URL('/v2/a', REGISTRY) })).discard();

    expect(logger.warnings).toEqual([
      'registry registry.test warns: repository is deprecated',
      'registry registry.test warns: use "v2" instead',
    ]);
  });

  it.each([
    ['plenty left', '100;w=21600', '76;w=21600', []],
    [
      '10 % left',
      '100;w=21600',
      '10;w=21600',
      ['rate limit at registry.test nearly used up: 10 of 100 requests left'],
    ],
  ])(
    'reports the rate limit at debug and warns when it runs low (%s)',
    async (_name, limit, remaining, warnings) => {
      agent
        .get(REGISTRY)
        .intercept({ path: '/v2/a' })
        .reply(200, '', { headers: { 'ratelimit-limit': limit, 'ratelimit-remaining': remaining } });

      await (await get('/v2/a')).discard();

      expect(logger.debugs).toContainEqual(expect.stringContaining('rate limit at registry.test: '));
      expect(logger.warnings).toEqual(warnings);
    },
  );
});

describe('timeouts', () => {
  it('gives up waiting for headers after timeouts.headersMs and retries', async () => {
    let requests = 0;
    // The first request never gets an answer; the second does.
    const server = createServer((_request, response) => {
      requests += 1;
      if (requests > 1) response.end('late but fine');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dispatcher = new Agent();
    try {
      const { port } = server.address() as AddressInfo;
      const http = new Transport({ dispatcher, logger, retry: retry.policy, timeouts: { headersMs: 100 } });

      const response = await http.request({ method: 'GET', url: new URL(`http://127.0.0.1:${port}/v2/`) });

      expect(await response.text()).toBe('late but fine');
      expect(requests).toBe(2);
      expect(logger.infos).toEqual([expect.stringContaining('UND_ERR_HEADERS_TIMEOUT')]);
    } finally {
      await dispatcher.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('per-host concurrency', () => {
  it('frees the slot when opening a stream body fails', async () => {
    agent.get(REGISTRY).intercept({ path: '/v2/after' }).reply(200, 'still served');
    const http = transport({ maxConcurrentPerHost: 1 });

    const failure = await http
      .request({
        method: 'PUT',
        url: new URL('/v2/upload', REGISTRY),
        body: () => {
          throw new Error('source gone');
        },
        contentLength: 1,
      })
      .catch((error: unknown) => error);
    const after = await http.request({ method: 'GET', url: new URL('/v2/after', REGISTRY) });

    expect(failure).toMatchObject({
      status: 0,
      message: 'failed to PUT https://registry.test/v2/upload: source gone',
    });
    expect(await after.text()).toBe('still served');
  });

  it('holds a request until an earlier response body on the same host is consumed', async () => {
    const registry = agent.get(REGISTRY);
    const arrived: string[] = [];
    for (const path of ['/v2/one', '/v2/two']) {
      registry.intercept({ path }).reply(() => {
        arrived.push(path);
        return { statusCode: 200, data: path };
      });
    }
    agent.get(STORAGE).intercept({ path: '/elsewhere' }).reply(200, 'other host');
    const http = transport({ maxConcurrentPerHost: 1 });

    const first = await http.request({ method: 'GET', url: new URL('/v2/one', REGISTRY) });
    const second = http.request({ method: 'GET', url: new URL('/v2/two', REGISTRY) });
    const otherHost = await http.request({ method: 'GET', url: new URL('/elsewhere', STORAGE) });
    expect(await otherHost.text()).toBe('other host');
    expect(arrived).toEqual(['/v2/one']);

    expect(await first.text()).toBe('/v2/one');
    expect(await (await second).text()).toBe('/v2/two');
    expect(arrived).toEqual(['/v2/one', '/v2/two']);
  });
});

describe('expectStatus', () => {
  it('passes an expected status', async () => {
    agent.get(REGISTRY).intercept({ path: '/v2/a/manifests/1.0', method: 'HEAD' }).reply(200, '');

    const response = await transport().request({
      method: 'HEAD',
      url: new URL('/v2/a/manifests/1.0', REGISTRY),
    });

    await expect(expectStatus(response, [200], { method: 'HEAD', what: 'check' })).resolves.toBeUndefined();
  });

  it('turns a distribution error body into codes, message and diagnostic headers', async () => {
    const body = JSON.stringify({
      errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: '1.0' } }],
    });
    agent
      .get(REGISTRY)
      .intercept({ path: '/v2/a/manifests/1.0?sig=xyz' })
      .reply(404, body, {
        headers: { 'content-type': 'application/json', 'docker-ratelimit-source': '192.0.2.1' },
      });

    const response = await get('/v2/a/manifests/1.0?sig=xyz');
    const failure = await expectStatus(response, [200], { method: 'GET', what: 'get manifest a:1.0' }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(RegistryError);
    const error = failure as RegistryError;
    expect(error.message).toBe(
      'failed to get manifest a:1.0: 404 Not Found (MANIFEST_UNKNOWN: manifest unknown)',
    );
    expect(error.codes).toEqual(['MANIFEST_UNKNOWN']);
    expect(error.hasCode('MANIFEST_UNKNOWN')).toBe(true);
    expect(error.errors[0]?.detail).toEqual({ Tag: '1.0' });
    expect(error.url).toBe(`${REGISTRY}/v2/a/manifests/1.0?sig=redacted`);
    expect(error.headers).toEqual({ 'docker-ratelimit-source': '192.0.2.1' });
  });

  it.each([
    ['a plain-text body', 'text/plain', 'invalid repository name\n', ' (invalid repository name)'],
    ['an HTML page', 'text/html', '<html><body>Bad Gateway</body></html>', ''],
    ['an empty body', 'text/plain', '', ''],
  ])('quotes %s only when it reads as a message', async (_name, contentType, body, suffix) => {
    agent
      .get(REGISTRY)
      .intercept({ path: '/v2/x' })
      .reply(400, body, { headers: { 'content-type': contentType } });

    const failure = await expectStatus(await get('/v2/x'), [200], { method: 'GET', what: 'get x' }).catch(
      (error: unknown) => error,
    );

    expect(failure).toMatchObject({ message: `failed to get x: 400 Bad Request${suffix}`, codes: [] });
  });
});

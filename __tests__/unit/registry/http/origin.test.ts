import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type MockAgent } from 'undici';
import { RegistryError } from '../../../../src/registry/http/registry-error.js';
import { OriginResolver, type OriginExchange } from '../../../../src/registry/http/origin.js';
import { Transport } from '../../../../src/registry/http/transport.js';
import { fakeRetry, offlineAgent } from '../wire-helpers.js';
import { recordingLogger } from '../../../support/loggers.js';

const MANIFEST = '/v2/acme/app/manifests/1.0';
const CHALLENGE = 'Bearer realm="https://auth.test/token",service="registry.test"';
const tlsFailure = () =>
  Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });

describe('OriginResolver with a mock peer', () => {
  let agent: MockAgent;
  let logger: ReturnType<typeof recordingLogger>;

  beforeEach(() => {
    agent = offlineAgent();
    logger = recordingLogger();
  });

  afterEach(async () => {
    await agent.close();
  });

  function resolver(insecureRegistries: string[] = []) {
    const transport = new Transport({ dispatcher: agent, retry: fakeRetry().policy });
    const origins = new OriginResolver({ insecureRegistries, logger });
    return {
      resolve: (registry: string) =>
        origins.firstExchange(registry, (origin) =>
          transport.request({ method: 'GET', url: new URL(MANIFEST, origin) }),
        ),
    };
  }

  /** What the first exchange found: the origin, and the status and challenge of the response. */
  async function found(resolution: Promise<OriginExchange>) {
    const { origin, response } = await resolution;
    await response.discard();
    return { origin, status: response.status, wwwAuthenticate: response.headerValues('www-authenticate') };
  }

  it('speaks http to an insecure registry and hands back its challenge', async () => {
    agent
      .get('http://registry.test:5000')
      .intercept({ path: MANIFEST })
      .reply(401, '', { headers: { 'www-authenticate': CHALLENGE } });

    const resolution = await found(resolver(['Registry.test:5000']).resolve('registry.test:5000'));

    expect(resolution).toEqual({
      origin: 'http://registry.test:5000',
      status: 401,
      wwwAuthenticate: [CHALLENGE],
    });
  });

  it('speaks https by default, with no request of its own', async () => {
    agent.get('https://ghcr.io').intercept({ path: MANIFEST }).reply(200, '{}');

    const resolution = await found(resolver().resolve('ghcr.io'));

    expect(resolution).toEqual({ origin: 'https://ghcr.io', status: 200, wwwAuthenticate: [] });
    agent.assertNoPendingInterceptors();
  });

  it("sends to Docker Hub's API host", async () => {
    agent.get('https://registry-1.docker.io').intercept({ path: MANIFEST }).reply(401, '');

    expect((await resolver().resolve('docker.io')).origin).toBe('https://registry-1.docker.io');
  });

  it('never falls back to http for a registry that is neither loopback nor insecure', async () => {
    agent.get('https://registry.test:5000').intercept({ path: MANIFEST }).replyWithError(tlsFailure());
    agent.get('http://registry.test:5000').intercept({ path: MANIFEST }).reply(200, '');

    const failure = await resolver()
      .resolve('registry.test:5000')
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RegistryError);
    expect(failure).toMatchObject({ status: 0, url: `https://registry.test:5000${MANIFEST}` });
    expect(agent.pendingInterceptors().map((interceptor) => interceptor.origin)).toEqual([
      'http://registry.test:5000',
    ]);
  });

  it('keeps https for a loopback registry that answers over https, whatever the status', async () => {
    agent.get('https://localhost:5000').intercept({ path: MANIFEST }).reply(404, '');
    agent.get('http://localhost:5000').intercept({ path: MANIFEST }).reply(200, '');

    const resolution = await found(resolver().resolve('localhost:5000'));

    expect(resolution.origin).toBe('https://localhost:5000');
    expect(resolution.status).toBe(404);
  });
});

describe('OriginResolver against a plain-HTTP server on loopback', () => {
  let server: Server;
  let dispatcher: Agent;
  let port: number;

  beforeEach(async () => {
    server = createServer((_request, response) => {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="local"', 'content-length': '0' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    dispatcher = new Agent();
  });

  afterEach(async () => {
    await dispatcher.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('falls back to http when the https handshake fails', async () => {
    const logger = recordingLogger();
    const transport = new Transport({ dispatcher, retry: fakeRetry().policy });

    const { origin, response } = await new OriginResolver({ insecureRegistries: [], logger }).firstExchange(
      `127.0.0.1:${port}`,
      (at) => transport.request({ method: 'GET', url: new URL('/v2/acme/app/manifests/1.0', at) }),
    );
    await response.discard();

    expect(origin).toBe(`http://127.0.0.1:${port}`);
    expect(response).toMatchObject({ status: 401, url: new URL(`${origin}/v2/acme/app/manifests/1.0`) });
    expect(response.headerValues('www-authenticate')).toEqual(['Basic realm="local"']);
    expect(logger.infos).toContainEqual(`127.0.0.1:${port} is a loopback registry without https; using http`);
    expect(logger.debugs).toContainEqual(expect.stringContaining('ERR_SSL_WRONG_VERSION_NUMBER'));
  });
});

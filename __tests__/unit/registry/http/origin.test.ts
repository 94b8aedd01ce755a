import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type MockAgent } from 'undici';
import { RegistryError } from '../../../../src/registry/errors.js';
import { OriginResolver } from '../../../../src/registry/http/origin.js';
import { Transport } from '../../../../src/registry/http/transport.js';
import { fakeRetry, offlineAgent, recordingLogger } from '../wire-helpers.js';

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

  function resolver(insecureRegistries: string[] = []): OriginResolver {
    const transport = new Transport({ dispatcher: agent, retry: fakeRetry().policy });
    return new OriginResolver(transport, { insecureRegistries, logger });
  }

  it('speaks http to an insecure registry and reports its challenge', async () => {
    agent
      .get('http://registry.test:5000')
      .intercept({ path: '/v2/' })
      .reply(401, '', { headers: { 'www-authenticate': CHALLENGE } });

    const resolution = await resolver(['Registry.test:5000']).resolve('registry.test:5000');

    expect(resolution).toEqual({
      origin: 'http://registry.test:5000',
      ping: { status: 401, wwwAuthenticate: [CHALLENGE] },
    });
  });

  it('speaks https by default, and pings each registry once', async () => {
    agent.get('https://ghcr.io').intercept({ path: '/v2/' }).reply(200, '{}');
    const origins = resolver();

    const first = await origins.resolve('ghcr.io');
    const second = await origins.resolve('ghcr.io');

    expect(first).toEqual({ origin: 'https://ghcr.io', ping: { status: 200, wwwAuthenticate: [] } });
    expect(second).toEqual(first);
    agent.assertNoPendingInterceptors();
  });

  it("pings Docker Hub's API host", async () => {
    agent.get('https://registry-1.docker.io').intercept({ path: '/v2/' }).reply(401, '');

    expect((await resolver().resolve('docker.io')).origin).toBe('https://registry-1.docker.io');
  });

  it('never falls back to http for a registry that is neither loopback nor insecure', async () => {
    agent.get('https://registry.test:5000').intercept({ path: '/v2/' }).replyWithError(tlsFailure());
    agent.get('http://registry.test:5000').intercept({ path: '/v2/' }).reply(200, '');

    const failure = await resolver()
      .resolve('registry.test:5000')
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RegistryError);
    expect(failure).toMatchObject({ status: 0, url: 'https://registry.test:5000/v2/' });
    expect(agent.pendingInterceptors().map((interceptor) => interceptor.origin)).toEqual([
      'http://registry.test:5000',
    ]);
  });

  it('keeps https for a loopback registry that answers over https, whatever the status', async () => {
    agent.get('https://localhost:5000').intercept({ path: '/v2/' }).reply(404, '');
    agent.get('http://localhost:5000').intercept({ path: '/v2/' }).reply(200, '');

    const resolution = await resolver().resolve('localhost:5000');

    expect(resolution.origin).toBe('https://localhost:5000');
    expect(resolution.ping.status).toBe(404);
  });

  it('does not remember a failed resolution', async () => {
    const registry = agent.get('https://registry.test');
    registry.intercept({ path: '/v2/' }).replyWithError(tlsFailure());
    registry.intercept({ path: '/v2/' }).reply(200, '');
    const origins = resolver();

    await expect(origins.resolve('registry.test')).rejects.toThrow(RegistryError);
    expect((await origins.resolve('registry.test')).origin).toBe('https://registry.test');
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

    const resolution = await new OriginResolver(transport, { insecureRegistries: [], logger }).resolve(
      `127.0.0.1:${port}`,
    );

    expect(resolution).toEqual({
      origin: `http://127.0.0.1:${port}`,
      ping: { status: 401, wwwAuthenticate: ['Basic realm="local"'] },
    });
    expect(logger.infos).toContainEqual(`127.0.0.1:${port} is a loopback registry without https; using http`);
    expect(logger.debugs).toContainEqual(expect.stringContaining('ERR_SSL_WRONG_VERSION_NUMBER'));
  });
});

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryError } from '../../../../src/registry/http/registry-error.js';
import { Transport } from '../../../../src/registry/http/transport.js';
import { fakeRetry } from '../wire-helpers.js';

// The default dispatcher (none injected) must honour HTTP_PROXY, HTTPS_PROXY and NO_PROXY as a runner sets them.
// A local proxy answers plain-HTTP requests itself and refuses CONNECT tunnels, noting what it was asked.

const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('Transport with the default dispatcher', () => {
  const savedEnv: Record<string, string | undefined> = {};
  let registry: Server;
  let proxy: Server;
  let registryHost: string;
  let proxyLog: string[];
  let transport: Transport | undefined;

  beforeEach(async () => {
    for (const name of PROXY_VARIABLES) {
      savedEnv[name] = process.env[name];
      Reflect.deleteProperty(process.env, name);
    }
    registry = createServer((request, response) =>
      response.end(`registry saw ${request.method} ${request.url}`),
    );
    registryHost = await listen(registry);
    proxyLog = [];
    proxy = createServer((request, response) => {
      proxyLog.push(`${request.method} ${request.url}`);
      response.end(`proxy saw ${request.method} ${request.url}`);
    });
    proxy.on('connect', (request, socket) => {
      proxyLog.push(`CONNECT ${request.url}`);
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
    const proxyUrl = `http://${await listen(proxy)}`;
    process.env.HTTP_PROXY = proxyUrl;
    process.env.HTTPS_PROXY = proxyUrl;
  });

  afterEach(async () => {
    await transport?.close();
    transport = undefined;
    for (const name of PROXY_VARIABLES) {
      if (savedEnv[name] === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = savedEnv[name];
    }
    await stop(proxy);
    await stop(registry);
  });

  function newTransport(): Transport {
    transport = new Transport({ retry: fakeRetry().policy });
    return transport;
  }

  it('sends http requests through HTTP_PROXY', async () => {
    const response = await newTransport().request({
      method: 'GET',
      url: new URL('http://registry.test:5000/v2/'),
    });

    expect(await response.text()).toBe('proxy saw GET http://registry.test:5000/v2/');
    expect(proxyLog).toEqual(['GET http://registry.test:5000/v2/']);
  });

  it('tunnels https requests through HTTPS_PROXY', async () => {
    const failure = await newTransport()
      .request({ method: 'GET', url: new URL('https://registry.test/v2/') })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RegistryError);
    expect(failure).toMatchObject({ status: 0 });
    expect(proxyLog).toEqual(['CONNECT registry.test:443']);
  });

  it('goes direct to hosts listed in NO_PROXY', async () => {
    process.env.NO_PROXY = '127.0.0.1';

    const response = await newTransport().request({
      method: 'GET',
      url: new URL(`http://${registryHost}/v2/`),
    });

    expect(await response.text()).toBe('registry saw GET /v2/');
    expect(proxyLog).toEqual([]);
  });
});

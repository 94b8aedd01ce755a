// The default agent against a real loopback HTTP server: connections kept alive and reused, and enough requests
// per host at once for the first wave of 16 platforms and 16 tags.
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transport } from '../../../../src/registry/http/transport.js';
import { fakeRetry } from '../wire-helpers.js';

let server: Server;
let origin: string;
let connections: number;
let handle: (request: IncomingMessage, response: ServerResponse) => void;
let transport: Transport;

beforeEach(async () => {
  connections = 0;
  server = createServer((request, response) => handle(request, response));
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  transport = new Transport({ retry: fakeRetry().policy });
});

afterEach(async () => {
  await transport.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const answer = (response: ServerResponse) => response.writeHead(200, { 'content-length': '2' }).end('{}');

it('sends one request after another over kept-alive connections, not one each', async () => {
  handle = (_request, response) => answer(response);

  for (let index = 0; index < 10; index++) {
    const response = await transport.request({ method: 'GET', url: new URL(`/v2/m${index}`, origin) });
    expect(await response.text()).toBe('{}');
  }

  // undici frees a connection one event-loop turn after its response: the next request waits for that turn.
  expect(connections).toBe(1);
});

it('keeps the connection after a HEAD, as after a GET', async () => {
  // A HEAD is answered with the length the GET's body would have, and no body.
  handle = (_request, response) => response.writeHead(200, { 'content-length': '1234' }).end();

  for (let index = 0; index < 10; index++) {
    const response = await transport.request({ method: 'HEAD', url: new URL(`/v2/m${index}`, origin) });
    expect(response.status).toBe(200);
    await response.discard();
  }

  expect(connections).toBe(1);
});

it('has 32 requests to one host under way at once', async () => {
  const waiting: ServerResponse[] = [];
  // Nothing is answered until all 32 have arrived: with fewer slots per host this would never finish.
  handle = (_request, response) => {
    waiting.push(response);
    if (waiting.length === 32) waiting.forEach(answer);
  };

  const responses = await Promise.all(
    Array.from({ length: 32 }, (_, index) =>
      transport.request({ method: 'GET', url: new URL(`/v2/m${index}`, origin) }),
    ),
  );

  expect(await Promise.all(responses.map((response) => response.text()))).toEqual(responses.map(() => '{}'));
  expect(connections).toBe(32);
});

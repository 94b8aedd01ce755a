import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { RegistryError } from '../../../../src/registry/http/registry-error.js';
import { Transport, type TransportOptions } from '../../../../src/registry/http/transport.js';
import { TimedOutError } from '../../../../src/registry/http/timed-out-error.js';
import { fakeRetry } from '../wire-helpers.js';
import { recordingLogger } from '../../../support/loggers.js';

const DOCUMENT = '{"schemaVersion":2,"layers":[]}';
type Handler = (attempt: number, request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let dispatcher: Agent;
let attempts: number;
let handler: Handler;
let logger: ReturnType<typeof recordingLogger>;

beforeEach(async () => {
  attempts = 0;
  logger = recordingLogger();
  server = createServer((request, response) => {
    attempts += 1;
    handler(attempts, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dispatcher = new Agent();
});

afterEach(async () => {
  await dispatcher.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function url(): URL {
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/app/manifests/1.0`);
}

function transport(options: TransportOptions = {}): Transport {
  return new Transport({ dispatcher, logger, retry: fakeRetry().policy, ...options });
}

/** Headers promising the whole document, then only its first bytes, then the connection is cut. */
const cutShort: Handler = (_attempt, _request, response) => {
  response.writeHead(200, { 'content-length': String(DOCUMENT.length) });
  response.write(DOCUMENT.slice(0, 5));
  setImmediate(() => response.socket?.destroy());
};
const whole: Handler = (_attempt, _request, response) => response.end(DOCUMENT);

describe('a buffered read is retried with its body', () => {
  it('retries a body cut short and serves the complete one', async () => {
    handler = (attempt, request, response) => (attempt === 1 ? cutShort : whole)(attempt, request, response);

    const response = await transport().request({ method: 'GET', url: url(), bufferBody: 1024 });

    expect(await response.text()).toBe(DOCUMENT);
    expect(attempts).toBe(2);
    expect(logger.infos).toEqual([expect.stringMatching(/^retrying GET .* attempt 2 of 5/)]);
  });

  it('retries a body that stalls after its headers', async () => {
    handler = (attempt, request, response) => {
      if (attempt > 1) return whole(attempt, request, response);
      response.writeHead(200, { 'content-length': String(DOCUMENT.length) });
      response.write('{');
    };

    const response = await transport({ timeouts: { bodyIdleMs: 100 } }).request({
      method: 'GET',
      url: url(),
      bufferBody: 1024,
    });

    expect(await response.text()).toBe(DOCUMENT);
    expect(attempts).toBe(2);
  });

  it('retries a body that trickles in slower than the buffered deadline allows', async () => {
    handler = (attempt, request, response) => {
      if (attempt > 1) return whole(attempt, request, response);
      response.writeHead(200, { 'content-length': '1000' });
      const drip = setInterval(() => response.write(' '), 20);
      response.on('close', () => clearInterval(drip));
    };

    const response = await transport({ timeouts: { bufferedMs: 300 } }).request({
      method: 'GET',
      url: url(),
      bufferBody: 1024,
    });

    expect(await response.text()).toBe(DOCUMENT);
    expect(logger.infos).toEqual([expect.stringContaining('no complete answer within 300 ms')]);
  });

  it('does not retry a body over the cap', async () => {
    handler = whole;

    const failure = await transport()
      .request({ method: 'GET', url: url(), bufferBody: 4 })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RegistryError);
    expect((failure as Error).message).toMatch(/exceed the limit of 4/);
    expect(attempts).toBe(1);
  });

  it("leaves an unbuffered body to its reader: a cut is the reader's failure", async () => {
    handler = cutShort;

    const response = await transport().request({ method: 'GET', url: url() });

    await expect(response.bytes(1024)).rejects.toThrow(RegistryError);
    expect(attempts).toBe(1);
  });
});

describe('the run deadline', () => {
  it('ends a request in flight with TimedOutError naming the request, and stops retrying', async () => {
    const controller = new AbortController();
    // The registry never answers; the deadline passes while it is being waited for.
    handler = () => controller.abort(new Error('the run timed out after 1s'));

    const failure = await transport({ signal: controller.signal })
      .request({ method: 'GET', url: url(), bufferBody: 1024 })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TimedOutError);
    expect((failure as Error).message).toMatch(
      /^the run timed out after 1s while waiting for GET http:\/\/127\.0\.0\.1:\d+\/v2\/app\/manifests\/1\.0$/,
    );
    expect(attempts).toBe(1);
  });

  it('fails at once, naming the wait, when Retry-After asks for longer than the time left', async () => {
    handler = (_attempt, _request, response) => response.writeHead(429, { 'retry-after': '120' }).end();
    const bound = { signal: () => undefined, msLeft: () => 30_000 };

    const failure = await transport({ signal: bound })
      .request({ method: 'GET', url: url() })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RegistryError);
    expect((failure as RegistryError).status).toBe(429);
    expect((failure as Error).message).toMatch(
      /: 429 .*, and the registry asks to wait 120 s \(Retry-After\) before trying again, more than the 30 s left of the run's timeout$/,
    );
    expect(attempts).toBe(1);
  });

  it('uses the bound a request starts under: a request after the work stopped may still run on a fresh one', async () => {
    handler = whole;
    let current = AbortSignal.abort(new Error('the run timed out'));
    const bound = { signal: () => current, msLeft: () => undefined };
    const shared = transport({ signal: bound });

    expect(
      await shared.request({ method: 'GET', url: url() }).catch((error: unknown) => error),
    ).toBeInstanceOf(TimedOutError);
    current = new AbortController().signal;
    const response = await shared.request({ method: 'GET', url: url() });

    expect(await response.text()).toBe(DOCUMENT);
    expect(attempts).toBe(1);
  });

  it('starts nothing once the deadline has passed', async () => {
    handler = whole;

    const failure = await transport({ signal: AbortSignal.abort(new Error('the run timed out')) })
      .request({ method: 'GET', url: url() })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TimedOutError);
    expect(attempts).toBe(0);
  });
});

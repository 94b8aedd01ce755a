// A plain HTTP proxy in front of a test registry that records every request it forwards: a test reaches the registry
// through it and then asserts which methods arrived (verify mode must send no write at all).
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  /** `127.0.0.1:PORT`: what goes in image references. */
  host: string;
  /** `METHOD /path` of every request forwarded, in arrival order. */
  requests: string[];
  /** The requests whose method writes: PUT, POST, PATCH, DELETE. */
  writes(): string[];
  stop(): Promise<void>;
}

const WRITE_METHODS = new Set(['PUT', 'POST', 'PATCH', 'DELETE']);

/** Starts a proxy on a free loopback port forwarding to `upstream` (`host:port`, plain HTTP). */
export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const requests: string[] = [];
  const [hostname = '', port = ''] = upstream.split(':');
  const forward = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    requests.push(`${incoming.method ?? '?'} ${incoming.url ?? ''}`);
    // The Host header stays the proxy's, so Location headers the registry builds lead back here.
    const upstreamRequest = request(
      {
        hostname,
        port: Number(port),
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstreamRequest.on('error', (error) => outgoing.destroy(error));
    incoming.pipe(upstreamRequest);
  };
  const server = createServer(forward);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${address.port}`,
    requests,
    writes: () => requests.filter((line) => WRITE_METHODS.has(line.split(' ')[0] ?? '')),
    stop: () =>
      new Promise<void>((stopped) => {
        server.closeAllConnections();
        server.close(() => stopped());
      }),
  };
}

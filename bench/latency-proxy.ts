import { connect, createServer, type Socket } from 'node:net';
import { HttpRequestCounter, requestKind } from './request-counter.js';

/** What went through the proxy since the last `take()`. */
export interface Traffic {
  connections: number;
  requests: number;
  /** Requests by `requestKind`. */
  byKind: Map<string, number>;
}

export interface LatencyProxy {
  /** `127.0.0.1:PORT`: what goes in image references. */
  host: string;
  delayMs: number;
  /** The traffic since the previous call, and a fresh count from now on. */
  take(): Traffic;
  close(): Promise<void>;
}

/**
 * A TCP proxy on loopback that holds every chunk for `delayMs` in each direction before passing it on: a round
 * trip costs 2 × delayMs more, as on a network path (this kernel has no netem). It counts connections and HTTP
 * requests on the way. Timers of one duration fire in the order they were set, so bytes stay in order.
 */
export async function startLatencyProxy(targetPort: number, delayMs: number): Promise<LatencyProxy> {
  let traffic = emptyTraffic();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const counted = traffic;
    counted.connections++;
    const counter = new HttpRequestCounter((method, target) => {
      const kind = requestKind(method, target);
      counted.requests++;
      counted.byKind.set(kind, (counted.byKind.get(kind) ?? 0) + 1);
    });
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      // Without it, Nagle holds a response's second chunk until the client's delayed ACK of the first (~40 ms):
      // a stall no tool would meet on a real path, where registries send with TCP_NODELAY.
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    relay(client, upstream, delayMs, (chunk) => counter.feed(chunk));
    relay(upstream, client, delayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('latency proxy: no port');
  return {
    host: `127.0.0.1:${address.port}`,
    delayMs,
    take() {
      const taken = traffic;
      traffic = emptyTraffic();
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function relay(from: Socket, to: Socket, delayMs: number, observe?: (chunk: Buffer) => void): void {
  const later = (action: () => void): void => {
    if (delayMs === 0) action();
    else setTimeout(action, delayMs);
  };
  from.on('data', (chunk: Buffer) => {
    observe?.(chunk);
    later(() => {
      if (!to.destroyed) to.write(chunk);
    });
  });
  from.on('end', () => later(() => to.end()));
  // A reset on one side resets the other, after the same delay a FIN would take.
  from.on('error', () => later(() => to.destroy()));
}

function emptyTraffic(): Traffic {
  return { connections: 0, requests: 0, byKind: new Map() };
}

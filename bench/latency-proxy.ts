import { connect, createServer, type Socket } from 'node:net';
import { HttpRequestCounter, requestKind } from './request-counter.js';

/** What went through the proxy since the last `take()`. */
export interface Traffic {
  connections: number;
  requests: number;
  /** Requests by `requestKind`. */
  byKind: Map<string, number>;
}

export interface LatencyProxyOptions {
  targetPort: number;
  /** The address it listens on (default 127.0.0.1): another one plays another host. */
  listenHost?: string;
  /** Parse the client's bytes as HTTP/1.1 and count requests (plain HTTP only; TLS bytes cannot be read). */
  countRequests: boolean;
}

export interface LatencyProxy {
  /** `ADDRESS:PORT`: what goes in image references. */
  host: string;
  /** The delay each direction gets; connections opened from now on use the new value. */
  delayMs: number;
  /** The traffic since the previous call, and a fresh count from now on. */
  take(): Traffic;
  close(): Promise<void>;
}

/**
 * A TCP proxy on loopback that holds every chunk for `delayMs` in each direction before passing it on: a round
 * trip costs 2 × delayMs more, as on a network path (this kernel has no netem). A new connection also pays its
 * TCP handshake: nothing the client sends reaches the server before one round trip after the accept (the SYN and
 * SYN-ACK a real path would carry); a TLS handshake passes through as bytes and so pays its own round trips.
 * It counts connections and, when asked, HTTP requests on the way.
 */
export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  let traffic = emptyTraffic();
  const sockets = new Set<Socket>();
  const listenHost = options.listenHost ?? '127.0.0.1';
  const server = createServer((client) => {
    const { delayMs } = proxy;
    const counted = traffic;
    counted.connections++;
    const counter = options.countRequests
      ? new HttpRequestCounter((method, target) => {
          const kind = requestKind(method, target);
          counted.requests++;
          counted.byKind.set(kind, (counted.byKind.get(kind) ?? 0) + 1);
        })
      : undefined;
    const upstream = connect(options.targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      // Without it, Nagle holds a response's second chunk until the client's delayed ACK of the first (~40 ms):
      // a stall no tool would meet on a real path, where registries send with TCP_NODELAY.
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    const handshakeDone = performance.now() + 2 * delayMs;
    relay(client, upstream, new DelayLine(delayMs, handshakeDone), (chunk) => counter?.feed(chunk));
    relay(upstream, client, new DelayLine(delayMs, 0));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, listenHost, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('latency proxy: no port');
  const proxy: LatencyProxy = {
    host: `${listenHost}:${address.port}`,
    delayMs: 0,
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
  return proxy;
}

/**
 * One direction of one connection: actions run in the order they were queued, each `delayMs` after it was queued
 * and never before `notBefore` + `delayMs`. One timer per line, so bytes stay in order whatever the delays.
 */
class DelayLine {
  readonly #queue: Array<{ due: number; action: () => void }> = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly notBefore: number,
  ) {}

  later(action: () => void): void {
    const now = performance.now();
    const due = Math.max(now, this.notBefore) + this.delayMs;
    if (due <= now && this.#queue.length === 0) return action();
    this.#queue.push({ due, action });
    if (this.#timer === undefined) this.#timer = setTimeout(() => this.#pump(), due - now);
  }

  #pump(): void {
    this.#timer = undefined;
    const now = performance.now();
    // Timers fire up to a millisecond early or late; what is due within half a millisecond goes now.
    while (this.#queue.length > 0 && (this.#queue[0]?.due ?? 0) <= now + 0.5) this.#queue.shift()?.action();
    const next = this.#queue[0];
    if (next !== undefined) this.#timer = setTimeout(() => this.#pump(), next.due - now);
  }
}

function relay(from: Socket, to: Socket, line: DelayLine, observe?: (chunk: Buffer) => void): void {
  from.on('data', (chunk: Buffer) => {
    observe?.(chunk);
    line.later(() => {
      if (!to.destroyed) to.write(chunk);
    });
  });
  from.on('end', () => line.later(() => to.end()));
  // A reset on one side resets the other, after the same delay a FIN would take.
  from.on('error', () => line.later(() => to.destroy()));
}

function emptyTraffic(): Traffic {
  return { connections: 0, requests: 0, byKind: new Map() };
}

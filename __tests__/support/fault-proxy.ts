// The one fault-injecting reverse proxy for end-to-end tests. In front of a real registry, the product talks to
// it as if it were the registry: requests matching a rule get the rule's fault; everything else passes through
// untouched (the Host header included, so the registry's Location headers name the proxy). Every request is
// recorded with the status sent back and the fault applied.
import {
  createServer,
  request as forward,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What a rule does to the exchange it matches. */
export type Fault =
  /** Answer without asking the registry. */
  | { kind: 'reply'; status: number; headers?: Record<string, string>; body?: string | Uint8Array }
  /** Forward, then replace these headers of the registry's answer. */
  | { kind: 'headers'; headers: Record<string, string> }
  /** Handle the request here (a registry feature the real one lacks); the registry never sees it. */
  | { kind: 'handle'; handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> }
  /** Forward, send the headers and the first `afterBytes` bytes of the body, then cut the connection. */
  | { kind: 'cut'; afterBytes: number }
  /** Forward, send the headers, then nothing more (until the proxy stops). */
  | { kind: 'stall' }
  /** Take the request and never answer it. */
  | { kind: 'silence' }
  /** Forward, send the headers, then one byte every `intervalMs`. */
  | { kind: 'trickle'; intervalMs: number }
  /** Forward to another path (a rewritten query, say), the answer untouched. */
  | { kind: 'rewrite'; path: (path: string) => string }
  /** Forward, let the registry answer, then reset the connection: the request landed, its answer is lost. */
  | { kind: 'drop' }
  /** Run `first` (another writer's write, say), then forward untouched. */
  | { kind: 'before'; first: () => Promise<void> };

export interface FaultRule {
  /** Any method when absent. */
  method?: string;
  /** A string matches the path without its query exactly; a RegExp is tested against the path with its query. */
  path: string | RegExp;
  /** How many matching requests the rule spoils (default: every one). */
  times?: number;
  fault: Fault;
}

/** One request as the proxy saw it. */
export interface SeenRequest {
  method: string;
  /** The path without its query. */
  path: string;
  /** The path with its query. */
  url: string;
  /** The status sent back to the client (0 when none was: silence, a cut before the headers). */
  status: number;
  /** The fault applied, if any. */
  fault?: Fault['kind'];
}

export interface FaultProxy {
  /** `127.0.0.1:PORT`: what goes in image references instead of the registry's host. */
  host: string;
  /** Consulted per request, first match wins; push to it or `setRules` between runs. */
  rules: FaultRule[];
  /** Replaces the rules (their counts start again). */
  setRules(rules: FaultRule[]): void;
  readonly seen: SeenRequest[];
  /** Faults applied so far. */
  readonly injected: number;
  /** How many requests had this method and path (a string: without query; a RegExp: tested on the path). */
  count(method: string, path: string | RegExp): number;
  stop(): Promise<void>;
}

/** A distribution-style error answer. */
export function registryErrorAnswer(status: number, code: string, message: string): Fault {
  return {
    kind: 'reply',
    status,
    body: JSON.stringify({ errors: [{ code, message }] }),
    headers: { 'content-type': 'application/json' },
  };
}

/** Reads the registry's whole answer, then hands it to `then`. */
function whole(answer: IncomingMessage, then: (bytes: Buffer) => void): void {
  const body: Buffer[] = [];
  answer.on('data', (chunk: Buffer) => body.push(chunk));
  answer.on('end', () => then(Buffer.concat(body)));
}

function pathMatches(pattern: string | RegExp, path: string, url: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(url);
}

/** Starts a proxy on a loopback port in front of `upstream` (anything with the registry's `http://` url). */
export async function startFaultProxy(upstream: { url: string }): Promise<FaultProxy> {
  const target = new URL(upstream.url);
  const rules: FaultRule[] = [];
  const used = new WeakMap<FaultRule, number>();
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let injected = 0;

  const take = (method: string, path: string, url: string): Fault | undefined => {
    const rule = rules.find(
      (candidate) =>
        (candidate.times === undefined || (used.get(candidate) ?? 0) < candidate.times) &&
        (candidate.method === undefined || candidate.method === method) &&
        pathMatches(candidate.path, path, url),
    );
    if (rule === undefined) return undefined;
    used.set(rule, (used.get(rule) ?? 0) + 1);
    injected += 1;
    return rule.fault;
  };

  const relay = (answer: IncomingMessage, res: ServerResponse, fault: Fault | undefined): void => {
    const extra = fault?.kind === 'headers' ? fault.headers : {};
    res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...extra });
    if (fault?.kind === 'stall') {
      res.flushHeaders();
      answer.resume();
      return;
    }
    if (fault?.kind === 'drop') {
      answer.resume();
      answer.on('end', () => res.socket?.destroy());
      return;
    }
    if (fault?.kind === 'cut') {
      res.flushHeaders();
      whole(answer, (bytes) => {
        res.write(bytes.subarray(0, fault.afterBytes));
        setImmediate(() => res.socket?.destroy());
      });
      return;
    }
    if (fault?.kind === 'trickle') {
      res.flushHeaders();
      whole(answer, (bytes) => {
        let sent = 0;
        const timer = setInterval(() => {
          if (sent >= bytes.length) {
            clearInterval(timer);
            res.end();
            return;
          }
          res.write(bytes.subarray(sent, sent + 1));
          sent += 1;
        }, fault.intervalMs);
        timers.add(timer);
        res.on('close', () => clearInterval(timer));
      });
      return;
    }
    answer.pipe(res);
  };

  const server: Server = createServer((req, res) => {
    const method = req.method ?? '';
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const fault = take(method, path, url);
    const entry: SeenRequest = { method, path, url, status: 0, ...(fault ? { fault: fault.kind } : {}) };
    seen.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    if (fault?.kind === 'silence') return;
    if (fault?.kind === 'handle') {
      fault.handle(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
      return;
    }
    if (fault?.kind === 'reply') {
      const { status, headers = {}, body = '' } = fault;
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
      });
      return;
    }
    const forwardPath = fault?.kind === 'rewrite' ? fault.path(url) : url;
    const send = (): void => {
      const upstreamRequest = forward(
        { host: target.hostname, port: target.port, method, path: forwardPath, headers: req.headers },
        (answer) => relay(answer, res, fault),
      );
      upstreamRequest.on('error', () => res.destroy());
      req.pipe(upstreamRequest);
    };
    if (fault?.kind === 'before') {
      req.pause();
      fault.first().then(send, (error: unknown) => res.writeHead(500).end(String(error)));
      return;
    }
    send();
  });
  server.keepAliveTimeout = 1_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    rules,
    setRules(next) {
      rules.splice(0, rules.length, ...next.map((rule) => ({ ...rule })));
    },
    seen,
    get injected() {
      return injected;
    },
    count: (method, path) =>
      seen.filter((entry) => entry.method === method && pathMatches(path, entry.path, entry.path)).length,
    async stop() {
      timers.forEach((timer) => clearInterval(timer));
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((closed) => server.close(() => closed()));
    },
  };
}

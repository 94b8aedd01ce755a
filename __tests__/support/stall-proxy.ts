// A fault-injecting HTTP proxy for end-to-end tests: in front of a real registry, it forwards every request and
// lets rules (per method and path) spoil chosen answers: a body cut short after N bytes, silence after the
// headers, a trickle of bytes, no answer at all, or a canned status and body. Every request is recorded.
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
  /** Forward, send the headers and the first `afterBytes` bytes of the body, then cut the connection. */
  | { kind: 'cut'; afterBytes: number }
  /** Forward, send the headers, then nothing more (until the proxy stops). */
  | { kind: 'stall' }
  /** Take the request and never answer it. */
  | { kind: 'silence' }
  /** Forward, send the headers, then one byte every `intervalMs`. */
  | { kind: 'trickle'; intervalMs: number }
  /** Answer without asking the registry. */
  | { kind: 'reply'; status: number; headers?: Record<string, string>; body?: string | Uint8Array }
  /** Forward to another path (a rewritten query, say), the answer untouched. */
  | { kind: 'rewrite'; path: (path: string) => string };

export interface FaultRule {
  method?: string;
  /** Matched against the path with its query. */
  path: RegExp;
  /** How many matching requests the rule spoils (default: all of them). */
  times?: number;
  fault: Fault;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The fault applied, if any. */
  fault?: Fault['kind'];
}

export interface StallProxy {
  /** `127.0.0.1:PORT`: what goes in image references instead of the registry's host. */
  host: string;
  requests: RecordedRequest[];
  /** Faults applied so far. */
  readonly injected: number;
  /** Replaces the rules (and their remaining counts). */
  setRules(rules: FaultRule[]): void;
  stop(): Promise<void>;
}

/** Reads the registry's whole answer, then hands it to `then`. */
function whole(answer: IncomingMessage, then: (bytes: Buffer) => void): void {
  const body: Buffer[] = [];
  answer.on('data', (chunk: Buffer) => body.push(chunk));
  answer.on('end', () => then(Buffer.concat(body)));
}

/** Starts a proxy on a loopback port forwarding to `upstream` (`http://127.0.0.1:PORT`). */
export async function startStallProxy(upstream: string): Promise<StallProxy> {
  const target = new URL(upstream);
  let rules: Array<FaultRule & { left: number }> = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let injected = 0;

  const take = (req: IncomingMessage): Fault | undefined => {
    const rule = rules.find(
      (candidate) =>
        candidate.left > 0 &&
        (candidate.method === undefined || candidate.method === req.method) &&
        candidate.path.test(req.url ?? ''),
    );
    if (rule === undefined) return undefined;
    rule.left -= 1;
    injected += 1;
    return rule.fault;
  };

  const server: Server = createServer((req, res) => {
    const fault = take(req);
    requests.push({ method: req.method ?? '', path: req.url ?? '', ...(fault ? { fault: fault.kind } : {}) });
    if (fault?.kind === 'silence') return;
    if (fault?.kind === 'reply') {
      req.resume();
      res.writeHead(fault.status, fault.headers ?? {});
      res.end(fault.body ?? '');
      return;
    }
    const path = fault?.kind === 'rewrite' ? fault.path(req.url ?? '/') : (req.url ?? '/');
    const upstreamRequest = forward(
      { host: target.hostname, port: target.port, method: req.method, path, headers: req.headers },
      (answer) => relay(answer, res, fault),
    );
    upstreamRequest.on('error', () => res.destroy());
    req.pipe(upstreamRequest);
  });

  const relay = (answer: IncomingMessage, res: ServerResponse, fault: Fault | undefined): void => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    if (fault?.kind === 'stall') {
      res.flushHeaders();
      answer.resume();
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

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    get injected() {
      return injected;
    },
    setRules(next) {
      rules = next.map((rule) => ({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY }));
    },
    async stop() {
      timers.forEach((timer) => clearInterval(timer));
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

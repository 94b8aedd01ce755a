// A fault-injecting reverse proxy in front of a real registry: the product talks to the proxy as if it were the
// registry. Requests matching a rule get the rule's fault; everything else passes through untouched (the Host
// header included, so the registry's Location headers name the proxy). Every request is counted.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestRegistry } from '../../testkit/registry-process.js';

/** A canned answer: the registry never sees the request. */
export interface CannedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface FaultRule {
  method: string;
  /** The path without its query; a string matches exactly. */
  path: string | RegExp;
  /** Answer this instead of passing the request on. */
  answer?: CannedAnswer;
  /** Pass the request on, then replace these headers of the registry's answer. */
  rewriteHeaders?: Record<string, string>;
  /** Handle the request here (a registry feature the real one lacks); the registry never sees it. */
  handle?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Applies to this many matching requests, then lets them pass (default: every one). */
  times?: number;
}

/** One request as the proxy saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  /** The status sent back to the client. */
  status: number;
}

export interface FaultProxy {
  /** `127.0.0.1:PORT`: what goes in image references instead of the registry's host. */
  host: string;
  /** Consulted per request, first match wins; change it between runs. */
  rules: FaultRule[];
  readonly seen: SeenRequest[];
  /** How many requests had this method and path. */
  count(method: string, path: string | RegExp): number;
  stop(): Promise<void>;
}

/** Distribution-style error bodies for canned answers. */
export function registryErrorAnswer(status: number, code: string, message: string): CannedAnswer {
  return {
    status,
    body: JSON.stringify({ errors: [{ code, message }] }),
    headers: { 'content-type': 'application/json' },
  };
}

export async function startFaultProxy(registry: TestRegistry): Promise<FaultProxy> {
  const upstream = new URL(registry.url);
  const seen: SeenRequest[] = [];
  const rules: FaultRule[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    res.on('finish', () => seen.push({ method: req.method ?? '', path, status: res.statusCode }));
    const rule = rules.find((candidate) => matches(candidate, req.method ?? '', path));
    if (rule?.times !== undefined) rule.times -= 1;
    if (rule?.handle !== undefined) {
      rule.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
      return;
    }
    if (rule?.answer !== undefined) {
      const { status, body = '', headers = {} } = rule.answer;
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
      });
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...rule?.rewriteHeaders });
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    rules,
    seen,
    count: (method, path) =>
      seen.filter((entry) => entry.method === method && pathMatches(path, entry.path)).length,
    stop: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  return (
    (rule.times === undefined || rule.times > 0) && rule.method === method && pathMatches(rule.path, path)
  );
}

function pathMatches(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(path);
}

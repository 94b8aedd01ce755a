// A registry profile made real: loopback servers (the registry's API and the other hosts it sends clients to) in
// front of a real distribution registry. Each request goes through the profile's rules in order; the first that
// answers wins, else the backend answers, and every rule may then change the answer. Every request is recorded
// with the site it reached and the Authorization it carried, so a test can say no credential went astray.
import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  parseRoute,
  type Answer,
  type Exchange,
  type Forwarded,
  type QuirkContext,
  type Rule,
  type Site,
} from './exchange.js';

const SITES: Site[] = ['registry', 'token', 'storage', 'web', 'uploads'];

/** One request as a site saw it. */
export interface SeenExchange {
  site: Site;
  method: string;
  url: string;
  status: number;
  authorization: string | undefined;
}

export interface QuirkRegistry {
  /** `127.0.0.1:PORT` of the registry's API: what goes in image references. */
  host: string;
  hosts: Record<Site, string>;
  readonly seen: SeenExchange[];
  /** Rules tried before the profile's (a refusal a scenario needs), replaced per scenario. */
  extraRules: Rule[];
  /** The quirks of the rules that answered or changed an answer so far: which emulations were exercised. */
  readonly fired: ReadonlySet<string>;
  stop(): Promise<void>;
}

export interface Backend {
  /** `http://127.0.0.1:PORT` of a distribution registry without auth. */
  url: string;
  storageDir: string;
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function askBackend(
  backend: URL,
  registryHost: string,
  exchange: Exchange,
  changes: Forwarded,
): Promise<Answer> {
  const method = changes.method ?? exchange.method;
  const body = changes.body ?? exchange.body;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(exchange.headers)) {
    if (value !== undefined && !['authorization', 'host', 'content-length', 'connection'].includes(name)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  Object.assign(headers, changes.headers ?? {});
  // The backend builds its Locations from Host: they name the emulated registry, as a registry's own would.
  headers['host'] = registryHost;
  if (method !== 'GET' && method !== 'HEAD') headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const outgoing = forward(
      {
        host: backend.hostname,
        port: backend.port,
        method,
        path: changes.path ?? `${exchange.url.pathname}${exchange.url.search}`,
        headers,
      },
      (incoming) => {
        readAll(incoming).then((bytes) => {
          const kept: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            // A HEAD's Content-Length is the size of what a GET would send: kept; otherwise the body decides.
            const dropped = [
              'connection',
              'keep-alive',
              'date',
              ...(method === 'HEAD' ? [] : ['content-length']),
            ];
            if (value !== undefined && !dropped.includes(name)) {
              kept[name] = Array.isArray(value) ? value.join(', ') : value;
            }
          }
          resolve({ status: incoming.statusCode ?? 502, headers: kept, body: bytes });
        }, reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(method === 'GET' || method === 'HEAD' ? undefined : body);
  });
}

/** Starts the profile's sites on free loopback ports in front of `backend`. */
export async function startQuirkRegistry(rules: Rule[], backend: Backend): Promise<QuirkRegistry> {
  const target = new URL(backend.url);
  const seen: SeenExchange[] = [];
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  const hosts = {} as Record<Site, string>;
  const extraRules: Rule[] = [];
  const fired = new Set<string>();
  const context: QuirkContext = {
    hosts,
    storageDir: backend.storageDir,
    forward: (exchange, changes = {}) => askBackend(target, hosts.registry, exchange, changes),
  };

  const handle = async (site: Site, req: IncomingMessage): Promise<Answer> => {
    const url = new URL(req.url ?? '/', `http://${hosts[site]}`);
    const exchange: Exchange = {
      site,
      method: req.method ?? 'GET',
      url,
      headers: req.headers,
      body: await readAll(req),
      route: parseRoute(url.pathname),
    };
    const all = [...extraRules, ...rules];
    let reply: Answer | undefined;
    for (const rule of all) {
      reply = await rule.before?.(exchange, context);
      if (reply !== undefined) {
        fired.add(rule.quirk);
        break;
      }
    }
    // Only the API and the upload host are the registry itself; the other sites answer through their rules.
    reply ??=
      site === 'registry' || site === 'uploads'
        ? await context.forward(exchange)
        : { status: 404, headers: {}, body: Buffer.alloc(0) };
    for (const rule of all) {
      if (rule.after === undefined) continue;
      const changed = await rule.after(exchange, reply, context);
      if (changed !== reply) fired.add(rule.quirk);
      reply = changed;
    }
    return reply;
  };

  for (const site of SITES) {
    const server = createServer((req, res) => {
      const entry: SeenExchange = {
        site,
        method: req.method ?? '',
        url: req.url ?? '',
        status: 0,
        authorization: req.headers.authorization,
      };
      seen.push(entry);
      handle(site, req).then(
        (reply) => {
          entry.status = reply.status;
          const body = req.method === 'HEAD' ? undefined : reply.body;
          const length = req.method === 'HEAD' ? reply.headers['content-length'] : undefined;
          res.writeHead(reply.status, {
            ...reply.headers,
            'content-length': length ?? String(reply.body.length),
          });
          res.end(body);
        },
        (error: unknown) => {
          entry.status = 500;
          res.writeHead(500).end(String(error));
        },
      );
    });
    server.keepAliveTimeout = 1_000;
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    hosts[site] = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    servers.push(server);
  }
  return {
    host: hosts.registry,
    hosts,
    seen,
    extraRules,
    fired,
    async stop() {
      sockets.forEach((socket) => socket.destroy());
      await Promise.all(servers.map((server) => new Promise<void>((closed) => server.close(() => closed()))));
    },
  };
}

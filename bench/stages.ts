import { randomBytes } from 'node:crypto';
import type { SeededImage } from '../testkit/images.js';
import { startRegistry, type TestRegistry } from '../testkit/registry-process.js';
import type { ServerCertificate } from '../testkit/tls-certificate.js';
import { startTokenServer } from '../testkit/token-server.js';
import { onCleanup } from './cleanup.js';
import { startLatencyProxy, type LatencyProxy, type Traffic } from './latency-proxy.js';
import { requestKind } from './request-counter.js';
import type { Wire } from './scenarios.js';
import { seedLayeredImages, seedPlatformImages } from './seed.js';

/** A registry and the latency proxy the tools reach it through. */
export interface Endpoint {
  registry: TestRegistry;
  proxy: LatencyProxy;
}

/** Everything one wire's scenarios run against. */
export interface Stage {
  wire: Wire;
  /** Holds the seeded images. */
  source: Endpoint;
  /** The second registry of cross-registry copies (HTTPS stages only). */
  target: Endpoint | undefined;
  /** Small one-layer images in REPO. */
  small: SeededImage[];
  /** Three-layer images in LAYERED_REPO (HTTPS stages only). */
  layered: SeededImage[];
  /** HTTPS stages: the CA every tool must trust, and the user every registry knows. */
  tls: { caPath: string; username: string; password: string } | undefined;
  setDelay(delayMs: number): void;
  /** Connections (at the proxies) and requests (at the proxy, or from the registries' access logs and the token
   * server over TLS) since the last call. */
  take(): Traffic;
}

export async function startPlainStage(platforms: number): Promise<Stage> {
  const registry = await startRegistry();
  onCleanup(() => registry.stop());
  const proxy = await startLatencyProxy({ targetPort: portOf(registry.host), countRequests: true });
  onCleanup(() => proxy.close());
  const small = await seedPlatformImages(registry, platforms);
  return {
    wire: 'plain',
    source: { registry, proxy },
    target: undefined,
    small,
    layered: [],
    tls: undefined,
    setDelay: (delayMs) => void (proxy.delayMs = delayMs),
    take: () => proxy.take(),
  };
}

/** Where the token server's proxy listens: another host than the registries', with its own connections. */
export const TOKEN_HOST = '127.0.0.2';

/** Where the HTTPS registries' proxies listen: loopback, as every server the bench starts. */
export const REGISTRY_HOST = '127.0.0.1';

/**
 * Two token-auth registries over TLS from the bench's CA, reached at REGISTRY_HOST, both trusting one token
 * server that listens behind its own proxy on TOKEN_HOST (another host, with its own connections and handshakes).
 */
export async function startTlsStage(
  wire: 'h2' | 'h1',
  certificate: ServerCertificate,
  platforms: number,
  /** A fresh folder for the token server's signing key. */
  dir: string,
): Promise<Stage> {
  const username = 'bench-user';
  const password = randomBytes(12).toString('hex');
  const tokenServer = await startTokenServer({
    dir,
    username,
    password,
    tls: certificate,
  });
  onCleanup(() => tokenServer.stop());
  const tokenProxy = await startLatencyProxy({
    targetPort: Number(new URL(tokenServer.realm).port),
    listenHost: TOKEN_HOST,
    countRequests: false,
  });
  onCleanup(() => tokenProxy.close());
  const proxiedTokenServer = { ...tokenServer, realm: `https://${tokenProxy.host}/token` };
  const endpoint = async (): Promise<Endpoint> => {
    const registry = await startRegistry({
      auth: 'token',
      username,
      password,
      tls: true,
      certificate,
      http2: wire === 'h2',
      tokenServer: proxiedTokenServer,
    });
    onCleanup(() => registry.stop());
    const proxy = await startLatencyProxy({
      targetPort: portOf(registry.host),
      listenHost: REGISTRY_HOST,
      countRequests: false,
    });
    onCleanup(() => proxy.close());
    return { registry, proxy };
  };
  const source = await endpoint();
  const target = await endpoint();
  const logs = [source, target].map(({ registry }) => accessLogRequests(registry));
  let tokenRequestsSeen = 0;
  const small = await seedPlatformImages(source.registry, platforms);
  const layered = await seedLayeredImages(source.registry, platforms);
  const proxies = [source.proxy, target.proxy, tokenProxy];
  const take = (): Traffic => {
    const traffic: Traffic = { connections: 0, requests: 0, byKind: new Map() };
    const count = (kind: string, n = 1): void => {
      traffic.requests += n;
      traffic.byKind.set(kind, (traffic.byKind.get(kind) ?? 0) + n);
    };
    for (const proxy of proxies) traffic.connections += proxy.take().connections;
    for (const log of logs) for (const [kind, n] of log.take()) count(kind, n);
    for (const record of tokenServer.requests.slice(tokenRequestsSeen)) count(`${record.method} token`);
    tokenRequestsSeen = tokenServer.requests.length;
    return traffic;
  };
  take();
  return {
    wire,
    source,
    target,
    small,
    layered,
    tls: { caPath: certificate.caPath, username, password },
    setDelay: (delayMs) => proxies.forEach((proxy) => void (proxy.delayMs = delayMs)),
    take,
  };
}

/** Requests by kind from the registry's access log (one line per request, `"METHOD PATH HTTP/x"`). */
function accessLogRequests(registry: TestRegistry): { take(): Map<string, number> } {
  let counts = new Map<string, number>();
  let partial = '';
  registry.onOutput?.((text) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const match = /"([A-Z]+) (\S+) HTTP\/[\d.]+"/.exec(line);
      if (match?.[1] === undefined || match[2] === undefined) continue;
      const kind = requestKind(match[1], match[2]);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
  });
  return {
    take() {
      const taken = counts;
      counts = new Map();
      return taken;
    },
  };
}

function portOf(host: string): number {
  return Number(host.split(':').pop());
}

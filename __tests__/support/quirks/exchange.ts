// The vocabulary of the quirk layer: an exchange as the emulated registry sees it, the answer it gives, and the
// rules a registry profile is made of. A rule is small and names the catalogue row it emulates, so a quirk a user
// reports is one more rule in one profile.
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The origins one emulated registry serves: its API, its token endpoint (another host, as GitLab's and Docker
 * Hub's are), the storage its blob downloads are redirected to, a web site (GHCR's package pages, Google's sign-in)
 * and the host its upload sessions may live on.
 */
export type Site = 'registry' | 'token' | 'storage' | 'web' | 'uploads';

/** A `/v2/<name>/<kind>/<reference>` path, taken apart. */
export interface Route {
  repo: string;
  kind: 'manifests' | 'blobs' | 'uploads' | 'tags' | 'referrers';
  /** The tag or digest, the upload session's id (empty when opening one), or `list` for tags. */
  reference: string;
}

export interface Exchange {
  site: Site;
  method: string;
  /** The path with its query, as received. */
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  route: Route | undefined;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What the backend is asked instead of the exchange as received. */
export interface Forwarded {
  method?: string;
  /** Path and query. */
  path?: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface QuirkContext {
  /** `127.0.0.1:PORT` of each site. */
  hosts: Record<Site, string>;
  /** Asks the real registry behind, as the emulated registry's own storage would be asked. */
  forward(exchange: Exchange, changes?: Forwarded): Promise<Answer>;
  /** The backend registry's filesystem storage (for what distribution 2.8 cannot do by API). */
  storageDir: string;
}

export interface Rule {
  /** The catalogue rows it emulates, e.g. `ECR9`. */
  quirk: string;
  /** Answers instead of the backend, or undefined to go on. */
  before?(exchange: Exchange, context: QuirkContext): Answer | undefined | Promise<Answer | undefined>;
  /** Changes the answer on its way back (the backend's or an earlier rule's). */
  after?(exchange: Exchange, answer: Answer, context: QuirkContext): Answer | Promise<Answer>;
}

const ROUTE = /^\/v2\/(.+?)\/(manifests|blobs\/uploads|blobs|tags|referrers)\/(.*)$/;

export function parseRoute(path: string): Route | undefined {
  const match = ROUTE.exec(path);
  if (match === null) return undefined;
  const [, repo, kind, reference] = match as unknown as [string, string, string, string];
  return { repo, kind: kind === 'blobs/uploads' ? 'uploads' : (kind as Route['kind']), reference };
}

/** Every manifest type: distribution 2.8 answers 404 for an OCI manifest an Accept header leaves out. */
export const ACCEPT_MANIFESTS = {
  accept: [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.docker.distribution.manifest.v2+json',
  ].join(', '),
};

export const isDigest = (reference: string): boolean => /^[a-z0-9]+:[a-f0-9]{32,}$/.test(reference);

export function answer(
  status: number,
  body: string | Buffer = '',
  headers: Record<string, string> = {},
): Answer {
  return { status, headers, body: typeof body === 'string' ? Buffer.from(body) : body };
}

/** A distribution-spec error envelope. */
export function errorAnswer(
  status: number,
  errors: Array<{ code: string; message: string; detail?: unknown }>,
  headers: Record<string, string> = {},
): Answer {
  return answer(status, JSON.stringify({ errors }), { 'content-type': 'application/json', ...headers });
}

export function header(exchange: Exchange, name: string): string | undefined {
  const value = exchange.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The JSON body of a manifest PUT, or undefined when it is none. */
export function jsonBody(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

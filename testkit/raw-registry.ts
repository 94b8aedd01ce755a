import type { IncomingHttpHeaders } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { sha256Digest } from './digest.js';
import { harnessDispatcher } from './harness-dispatcher.js';
import { UnexpectedStatusError } from './http-error.js';
import { parseJsonBytes } from './json.js';
import { ALL_MANIFEST_TYPES } from './media-types.js';
import { RawAuth, type Credentials, type RepositoryActions } from './raw-auth.js';
import type { TestRegistry } from './registry-process.js';

export interface BlobDescriptor {
  digest: string;
  size: number;
}

/** A manifest GET as the registry answered it; `digest` is computed here over `bytes`, whatever the status. */
export interface FetchedManifest {
  status: number;
  /** The Content-Type header ('' when absent). */
  mediaType: string;
  bytes: Uint8Array;
  digest: string;
}

interface Exchange {
  method: Dispatcher.HttpMethod;
  url: URL;
  status: number;
  headers: IncomingHttpHeaders;
  bytes: Uint8Array;
}

interface Send {
  method: Dispatcher.HttpMethod;
  repo: string;
  actions: RepositoryActions;
  target: string | URL;
  headers?: Record<string, string>;
  body?: Uint8Array;
}

/**
 * A deliberately plain registry client for seeding and inspecting test registries. It shares no code with
 * src/, so our own client is never its own oracle.
 */
export class RawRegistry {
  readonly #auth: RawAuth;
  /** Uploads under way per repo and digest: distribution 2.8 loses a blob uploaded twice at once. */
  readonly #uploads = new Map<string, Promise<BlobDescriptor>>();

  /** Authenticates as `credentials`, by default the registry's valid user; 'anonymous' sends none. */
  constructor(
    readonly registry: TestRegistry,
    credentials?: Credentials | 'anonymous',
  ) {
    const { username, password } = registry;
    const validUser = username !== undefined && password !== undefined ? { username, password } : undefined;
    this.#auth = new RawAuth(registry, credentials === 'anonymous' ? undefined : (credentials ?? validUser));
  }

  /** Monolithic upload: POST a session, PUT the bytes with `?digest=`. */
  putBlob(repo: string, bytes: Uint8Array): Promise<BlobDescriptor> {
    const key = `${repo}@${sha256Digest(bytes)}`;
    const pending = this.#uploads.get(key) ?? this.#upload(repo, bytes);
    this.#uploads.set(key, pending);
    return pending;
  }

  async #upload(repo: string, bytes: Uint8Array): Promise<BlobDescriptor> {
    const digest = sha256Digest(bytes);
    const action = `upload blob ${digest} to ${repo}`;
    const session = await this.#send({
      method: 'POST',
      repo,
      actions: 'pull,push',
      target: `/v2/${repo}/blobs/uploads/`,
    });
    expectStatus(session, action, 202);
    const location = new URL(headerValue(session, 'location') ?? '', this.registry.url);
    location.searchParams.set('digest', digest);
    const headers = { 'content-type': 'application/octet-stream' };
    const upload = await this.#send({
      method: 'PUT',
      repo,
      actions: 'pull,push',
      target: location,
      headers,
      body: bytes,
    });
    expectStatus(upload, action, 201);
    return { digest, size: bytes.byteLength };
  }

  /** PUTs manifest bytes under a tag or digest; returns their digest, checked against the registry's. */
  async putManifest(repo: string, reference: string, mediaType: string, bytes: Uint8Array): Promise<string> {
    const digest = sha256Digest(bytes);
    const action = `push manifest ${repo}:${reference}`;
    const headers = { 'content-type': mediaType };
    const target = `/v2/${repo}/manifests/${reference}`;
    const response = await this.#send({
      method: 'PUT',
      repo,
      actions: 'pull,push',
      target,
      headers,
      body: bytes,
    });
    expectStatus(response, action, 201);
    const answered = headerValue(response, 'docker-content-digest');
    if (answered !== undefined && answered !== digest) {
      throw new Error(`failed to ${action}: registry says ${answered}, the bytes hash to ${digest}`);
    }
    return digest;
  }

  /** GET with every manifest type in Accept; reports whatever status came back. */
  async getManifest(repo: string, reference: string): Promise<FetchedManifest> {
    const response = await this.#manifestRequest('GET', repo, reference);
    return {
      status: response.status,
      mediaType: headerValue(response, 'content-type') ?? '',
      bytes: response.bytes,
      digest: sha256Digest(response.bytes),
    };
  }

  async hasManifest(repo: string, reference: string): Promise<boolean> {
    return presence(
      await this.#manifestRequest('HEAD', repo, reference),
      `check manifest ${repo}:${reference}`,
    );
  }

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    const response = await this.#send({
      method: 'HEAD',
      repo,
      actions: 'pull',
      target: `/v2/${repo}/blobs/${digest}`,
    });
    return presence(response, `check blob ${repo}@${digest}`);
  }

  async getBlob(repo: string, digest: string): Promise<Uint8Array> {
    const response = await this.#send({
      method: 'GET',
      repo,
      actions: 'pull',
      target: `/v2/${repo}/blobs/${digest}`,
    });
    expectStatus(response, `fetch blob ${repo}@${digest}`, 200);
    return response.bytes;
  }

  /** The repository's tags; [] when the repository does not exist (distribution answers 404 NAME_UNKNOWN). */
  async listTags(repo: string): Promise<string[]> {
    const response = await this.#send({
      method: 'GET',
      repo,
      actions: 'pull',
      target: `/v2/${repo}/tags/list`,
    });
    if (response.status === 404) return [];
    expectStatus(response, `list tags of ${repo}`, 200);
    const { tags } = parseJsonBytes<{ tags: string[] | null }>(response.bytes);
    return tags ?? [];
  }

  #manifestRequest(method: 'GET' | 'HEAD', repo: string, reference: string): Promise<Exchange> {
    const target = `/v2/${repo}/manifests/${reference}`;
    return this.#send({ method, repo, actions: 'pull', target, headers: { accept: ALL_MANIFEST_TYPES } });
  }

  async #send({ method, repo, actions, target, headers = {}, body }: Send): Promise<Exchange> {
    const url = new URL(target, this.registry.url);
    const response = await request(url, {
      method,
      headers: { ...headers, ...(await this.#auth.headers(repo, actions)) },
      body,
      dispatcher: this.registry.tls?.dispatcher ?? harnessDispatcher,
    });
    const bytes = new Uint8Array(await response.body.arrayBuffer());
    return { method, url, status: response.statusCode, headers: response.headers, bytes };
  }
}

function headerValue(exchange: Exchange, name: string): string | undefined {
  const value = exchange.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function expectStatus(exchange: Exchange, action: string, expected: number): void {
  if (exchange.status === expected) return;
  const body = Buffer.from(exchange.bytes).toString();
  throw new UnexpectedStatusError(action, exchange.method, exchange.url.href, exchange.status, body);
}

function presence(exchange: Exchange, action: string): boolean {
  if (exchange.status === 404) return false;
  expectStatus(exchange, action, 200);
  return true;
}

import type { RepositoryName } from '../oci/reference.js';
import type { RepositoryAccess } from './api.js';
import { Authenticator } from './auth/authenticator.js';
import { mergeScopes, repositoryScope, type Scope } from './auth/scopes.js';
import type { CredentialStore } from './credentials/types.js';
import { RegistryError } from './errors.js';
import type { Logger } from './logger.js';
import { inContext } from './operation-error.js';
import type { OriginResolver } from './origin.js';
import { expectStatus } from './response.js';
import type { RequestBody, Transport, TransportMethod, TransportResponse } from './transport.js';

/** One request to a registry, by registry name; the session finds the origin and the Authorization. */
export interface SessionRequest {
  /** As written in references: `ghcr.io`, `docker.io`, `127.0.0.1:5000`. */
  registry: string;
  /** A path on the registry (`/v2/acme/app/manifests/1.0`), or an absolute URL such as an upload Location. */
  target: string | URL;
  method: TransportMethod;
  /** What the request needs its token to allow. */
  scopes: Scope[];
  /** The operation, as error messages name it: `read manifest ghcr.io/acme/app:1.0`. */
  what: string;
  headers?: Record<string, string>;
  /** A function body is a one-shot stream: such a request is never re-sent after a 401. */
  body?: RequestBody;
  contentLength?: number;
  idempotent?: boolean;
}

export interface RegistrySessionOptions {
  transport: Transport;
  origins: OriginResolver;
  credentials: CredentialStore;
  /** Receives every credential and token before it is used (core.setSecret). */
  onSecret: (secret: string) => void;
  logger: Logger;
}

/** `pull` on `repo`: what reads need. */
export function pullScope(repo: RepositoryName): Scope {
  return repositoryScope(repo.repository, ['pull']);
}

/** `pull,push` on `repo`: what writes need (registries check pull too when they look up what is there). */
export function pushScope(repo: RepositoryName): Scope {
  return repositoryScope(repo.repository, ['pull', 'push']);
}

/**
 * Authorized requests to any number of registries. Per registry: the origin and its `/v2/` ping once, the ping's
 * challenge answered up front (so the first real request carries a token covering every declared repository),
 * and one re-authentication on a 401 before the request is given up.
 */
export class RegistrySession {
  readonly #transport: Transport;
  readonly #origins: OriginResolver;
  readonly #credentials: CredentialStore;
  readonly #authenticator: Authenticator;
  readonly #ready = new Map<string, Promise<string>>();
  /** Registry → origin, once resolved. */
  readonly #resolved = new Map<string, string>();
  readonly #declared = new Map<string, Scope[]>();

  constructor(options: RegistrySessionOptions) {
    this.#transport = options.transport;
    this.#origins = options.origins;
    this.#credentials = options.credentials;
    this.#authenticator = new Authenticator({
      http: options.transport,
      credentials: options.credentials,
      logger: options.logger,
      onSecret: options.onSecret,
      isPlainHttp: (registry) => this.#resolved.get(registry)?.startsWith('http:') ?? false,
    });
  }

  /** Adds the declared repositories' scopes to every token asked of their registry. */
  declare(access: RepositoryAccess[]): void {
    for (const { repository, push } of access) {
      const scope = push ? pushScope(repository) : pullScope(repository);
      this.#declared.set(
        repository.registry,
        mergeScopes(this.#declared.get(repository.registry) ?? [], [scope]),
      );
    }
  }

  /**
   * Sends `req` and returns the final response, whatever its status; the caller reads or discards it. Failures
   * to reach the registry or to authenticate are thrown as `failed to <what>: …`.
   */
  async request(req: SessionRequest): Promise<TransportResponse> {
    try {
      return await this.#request(req);
    } catch (error) {
      throw inContext(req.what, error);
    }
  }

  /**
   * Throws RegistryError unless `response` has one of the `expected` statuses. A 401 from the registry says whose
   * credentials it refused: "failed to push manifest r/app:1.0: 401 Unauthorized (…) — credentials from inputs were refused".
   */
  async expectStatus(response: TransportResponse, expected: number[], req: SessionRequest): Promise<void> {
    try {
      await expectStatus(response, expected, { method: req.method, what: req.what });
    } catch (error) {
      const fromRegistry = response.url.origin === this.#resolved.get(req.registry);
      if (!(error instanceof RegistryError) || error.status !== 401 || !fromRegistry) throw error;
      const { method, url, status, errors, headers } = error;
      const refusal = await this.#refusal(req.registry);
      throw new RegistryError(`${error.message} — ${refusal}`, { method, url, status, errors, headers });
    }
  }

  /** Closes the connection pools. */
  close(): Promise<void> {
    return this.#transport.close();
  }

  async #request(req: SessionRequest): Promise<TransportResponse> {
    const scopes = mergeScopes(this.#declared.get(req.registry) ?? [], req.scopes);
    const origin = await this.#originOf(req.registry, scopes);
    const url = typeof req.target === 'string' ? new URL(req.target, origin) : req.target;
    const send = async () => {
      // The registry's credentials go to its own origin only, never to an upload Location elsewhere.
      const authorization =
        url.origin === origin ? await this.#authenticator.authorization(req.registry, scopes) : undefined;
      const response = await this.#transport.request({
        method: req.method,
        url,
        headers: req.headers,
        body: req.body,
        contentLength: req.contentLength,
        idempotent: req.idempotent,
        authorization,
      });
      return { response, authorization };
    };
    const first = await send();
    const challenge = first.response.headerValues('www-authenticate');
    const reauthenticate =
      first.response.status === 401 &&
      first.response.url.origin === origin &&
      challenge.length > 0 &&
      typeof req.body !== 'function' &&
      this.#authenticator.invalidate(req.registry, scopes, first.authorization);
    if (!reauthenticate) return first.response;
    await first.response.discard();
    await this.#authenticator.challenge(req.registry, challenge, scopes);
    return (await send()).response;
  }

  /** The registry's origin; the first call pings it and answers its challenge for `scopes`. */
  #originOf(registry: string, scopes: Scope[]): Promise<string> {
    let ready = this.#ready.get(registry);
    if (!ready) {
      ready = this.#prepare(registry, scopes);
      // A failure is not remembered: a later request tries again.
      ready.catch(() => this.#ready.delete(registry));
      this.#ready.set(registry, ready);
    }
    return ready;
  }

  async #prepare(registry: string, scopes: Scope[]): Promise<string> {
    const { origin, ping } = await this.#origins.resolve(registry);
    this.#resolved.set(registry, origin);
    if (ping.status === 401 && ping.wwwAuthenticate.length > 0) {
      await this.#authenticator.challenge(registry, ping.wwwAuthenticate, scopes);
    }
    return origin;
  }

  async #refusal(registry: string): Promise<string> {
    const credential = await this.#credentials.get(registry).catch(() => undefined);
    return credential === undefined
      ? `no credentials were found for ${registry}, and anonymous access was refused`
      : `credentials from ${credential.source} were refused`;
  }
}

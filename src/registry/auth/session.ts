import { Memo } from '../../common/memoize.js';
import type { RepositoryName } from '../../oci/reference.js';
import type { RepositoryAccess } from './scopes.js';
import type { CredentialStore } from '../credentials/credential-store.js';
import { RegistryError } from '../http/registry-error.js';
import type { OriginResolver } from '../http/origin.js';
import { expectStatus } from '../http/response.js';
import type { Transport } from '../http/transport.js';
import type { RequestBody, RequestRole, TransportMethod, TransportResponse } from '../http/sender.js';
import type { Logger } from '../../common/logger.js';
import { inContext } from './in-context.js';
import { Authenticator } from './authenticator.js';
import { mergeScopes, repositoryScope, type Scope } from './scopes.js';

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
  /** See TransportRequest.bufferBody: a small document read with its request, retried as one. */
  bufferBody?: number;
  /** See RequestRole: an upload session opened, or dropped after a failure. */
  role?: RequestRole;
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
 * The auth layer on top of the transport, for any number of registries. Per registry the run has credentials for,
 * one request leads: it goes out without Authorization, finds the origin, and its 401 challenge (if any) is answered
 * with a token for every declared repository before it is sent again; the registry's other requests wait for that
 * outcome, so only one request per registry is ever challenged up front (no `/v2/` ping). A registry without
 * credentials gets its requests at once (see #openOrigin). Also the one place a 401 leads to one re-authentication
 * before the request is given up.
 */
export class RegistrySession {
  readonly #transport: Transport;
  readonly #origins: OriginResolver;
  readonly #authenticator: Authenticator;
  /** Registry → origin, once its leading request was answered; a failure is not remembered: the next one leads. */
  readonly #ready = new Memo<string>('retry');
  /** Registry → origin, once resolved. */
  readonly #resolved = new Map<string, string>();
  readonly #declared = new Map<string, Scope[]>();

  constructor(options: RegistrySessionOptions) {
    this.#transport = options.transport;
    this.#origins = options.origins;
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
   * Throws RegistryError unless `response` has one of the `expected` statuses. A 401 from the registry carries the
   * credentials it refused (`credentialSource`), which the error's hints name.
   */
  async expectStatus(response: TransportResponse, expected: number[], req: SessionRequest): Promise<void> {
    try {
      await expectStatus(response, expected, { method: req.method, what: req.what });
    } catch (error) {
      const fromRegistry = response.url.origin === this.#resolved.get(req.registry);
      if (!(error instanceof RegistryError) || error.status !== 401 || !fromRegistry) throw error;
      const credentialSource = await this.#authenticator.credentialSource(req.registry);
      throw error.restated(error.message, { credentialSource });
    }
  }

  /** Closes the connection pools. */
  close(): Promise<void> {
    return this.#transport.close();
  }

  async #request(req: SessionRequest): Promise<TransportResponse> {
    const scopes = mergeScopes(this.#declared.get(req.registry) ?? [], req.scopes);
    let led: TransportResponse | undefined;
    const origin = await this.#ready.get(req.registry, async () => {
      const open = await this.#openOrigin(req);
      if (open !== undefined) return open;
      const first = await this.#lead(req, scopes);
      led = first.response;
      return first.origin;
    });
    return led ?? this.#authenticated(req, origin, scopes);
  }

  /**
   * The origin of a registry the run has no credentials for, when it is known without an exchange (listed as
   * insecure, or not loopback): such a registry's requests need not wait for a leading one, as a challenge could
   * only be answered anonymously. If one comes, each request sent meanwhile is challenged and sent once more: more
   * requests, but no more round trips than a leading request costs every registry. None for a one-shot body, which
   * could not be sent again.
   */
  async #openOrigin(req: SessionRequest): Promise<string | undefined> {
    if (typeof req.body === 'function') return undefined;
    const origin = this.#origins.knownOrigin(req.registry);
    if (origin === undefined || (await this.#authenticator.hasCredentials(req.registry))) return undefined;
    this.#resolved.set(req.registry, origin);
    return origin;
  }

  /**
   * The registry's first request, sent without Authorization: its response, or none when it was a challenge, now
   * answered for `scopes`. A one-shot stream body is never the one challenged: a bodiless `GET /v2/` goes first.
   */
  async #lead(
    req: SessionRequest,
    scopes: Scope[],
  ): Promise<{ origin: string; response?: TransportResponse }> {
    const oneShot = typeof req.body === 'function';
    const probe: SessionRequest = oneShot
      ? { ...req, method: 'GET', target: '/v2/', headers: {}, body: undefined, contentLength: undefined }
      : req;
    const { origin, response } = await this.#origins.firstExchange(req.registry, (at) =>
      this.#send(probe, targetUrl(probe, at), undefined),
    );
    this.#resolved.set(req.registry, origin);
    const challenge = response.headerValues('www-authenticate');
    if (response.status === 401 && response.url.origin === origin && challenge.length > 0) {
      await response.discard();
      await this.#authenticator.challenge(req.registry, challenge, scopes);
      return { origin };
    }
    if (!oneShot) return { origin, response };
    await response.discard();
    return { origin };
  }

  /** Sends `req` with the registry's Authorization; a 401 leads to one re-authentication and one resend. */
  async #authenticated(req: SessionRequest, origin: string, scopes: Scope[]): Promise<TransportResponse> {
    const url = targetUrl(req, origin);
    const send = async () => {
      // The registry's credentials go to its own origin only, never to an upload Location elsewhere.
      const authorization =
        url.origin === origin ? await this.#authenticator.authorization(req.registry, scopes) : undefined;
      return { response: await this.#send(req, url, authorization), authorization };
    };
    const first = await send();
    const challenge = first.response.headerValues('www-authenticate');
    const reauthenticate =
      first.response.status === 401 &&
      first.response.url.origin === origin &&
      challenge.length > 0 &&
      typeof req.body !== 'function' &&
      // Sent before the registry's scheme was known: no token of ours was refused, it just needs one.
      (first.authorization === undefined ||
        this.#authenticator.invalidate(req.registry, first.authorization));
    if (!reauthenticate) return first.response;
    await first.response.discard();
    await this.#authenticator.challenge(req.registry, challenge, scopes);
    return (await send()).response;
  }

  #send(req: SessionRequest, url: URL, authorization: string | undefined): Promise<TransportResponse> {
    return this.#transport.request({
      method: req.method,
      url,
      headers: req.headers,
      body: req.body,
      contentLength: req.contentLength,
      idempotent: req.idempotent,
      bufferBody: req.bufferBody,
      role: req.role,
      authorization,
    });
  }
}

function targetUrl(req: SessionRequest, origin: string): URL {
  return typeof req.target === 'string' ? new URL(req.target, origin) : req.target;
}

import { finished, Readable } from 'node:stream';
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { RegistryError, describeCause, redactUrl } from './errors.js';
import { HostLimiter } from './limiter.js';
import { silentLogger, type Logger } from './logger.js';
import { ResponseNotices } from './notices.js';
import { MAX_REDIRECTS, isRedirectStatus, planRedirect, type RedirectHop } from './redirects.js';
import {
  defaultRetryPolicy,
  isRetryableNetworkError,
  isRetryableStatus,
  nextRetryDelay,
  parseRetryAfter,
  type RetryPolicy,
} from './retry.js';
import { BodyResponse, describeStatus } from './response.js';
import { defaultUserAgent } from './user-agent.js';

export type TransportMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/** Bytes, or a function that opens the stream anew for every attempt (a replayable stream). */
export type RequestBody = Uint8Array | (() => NodeJS.ReadableStream | AsyncIterable<Uint8Array>);

export interface TransportRequest {
  method: TransportMethod;
  url: URL;
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Required with a stream body; sent as Content-Length (uploads are never chunked). */
  contentLength?: number;
  /** Authorization for the origin of `url` only; never sent to another origin after a redirect. */
  authorization?: string;
  /** Default: true for GET and HEAD, false otherwise (the 3xx is then returned). */
  followRedirects?: boolean;
  /** Default: true for GET, HEAD, PUT and DELETE. Only idempotent requests are retried. */
  idempotent?: boolean;
}

export interface TransportResponse {
  status: number;
  /** The final URL, after redirects. */
  url: URL;
  /** Lowercase names; a repeated header's values joined with ', ' (headerValues keeps them apart). */
  headers: Record<string, string>;
  headerValues(name: string): string[];
  /** The body as UTF-8, at most `maxBytes` (default 64 KiB); throws RegistryError when larger. */
  text(maxBytes?: number): Promise<string>;
  /** The body, at most `maxBytes`; throws RegistryError when larger. */
  bytes(maxBytes: number): Promise<Uint8Array>;
  /** The raw body, for streamed copies. */
  stream(): AsyncIterable<Uint8Array> & NodeJS.ReadableStream;
  /** Drops the body. Every response must be read or discarded: it holds a per-host slot until then. */
  discard(): Promise<void>;
}

export interface TransportOptions {
  /** Default: an EnvHttpProxyAgent (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) with keep-alive pools per origin. */
  dispatcher?: Dispatcher;
  logger?: Logger;
  userAgent?: string;
  /** Both the wait for response headers and the longest pause within a body. Default: 60 s and 5 min. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** In-flight requests per host, bodies included. Default 6. */
  maxConcurrentPerHost?: number;
}

const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;
const DEFAULT_BODY_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_MAX_CONCURRENT_PER_HOST = 6;
const IDEMPOTENT_METHODS = new Set<TransportMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
const PAYLOAD_METHODS = new Set<TransportMethod>(['PUT', 'POST', 'PATCH']);
// Never forwarded to another origin; framing headers are ours to set.
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'host']);

/** A request after defaults and validation. */
interface PreparedRequest {
  method: TransportMethod;
  url: URL;
  headers: Record<string, string>;
  body: RequestBody | undefined;
  contentLength: number;
  authorization: string | undefined;
  followRedirects: boolean;
  idempotent: boolean;
}

/**
 * HTTP for the registry layer over undici's `request()` (no decompression, `Accept-Encoding: identity`):
 * retries with backoff, redirects followed by hand, a per-host concurrency cap, registry warnings surfaced.
 */
export class Transport {
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #logger: Logger;
  readonly #userAgent: string;
  readonly #headersTimeout: number;
  readonly #bodyTimeout: number;
  readonly #policy: RetryPolicy;
  readonly #limiter: HostLimiter;
  readonly #notices: ResponseNotices;

  constructor(options: TransportOptions = {}) {
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new EnvHttpProxyAgent();
    this.#logger = options.logger ?? silentLogger;
    this.#userAgent = options.userAgent ?? defaultUserAgent;
    this.#headersTimeout = options.timeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
    this.#bodyTimeout = options.timeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
    this.#policy = { ...defaultRetryPolicy, ...options.retry };
    this.#limiter = new HostLimiter(options.maxConcurrentPerHost ?? DEFAULT_MAX_CONCURRENT_PER_HOST);
    this.#notices = new ResponseNotices(this.#logger);
  }

  /**
   * Sends `req` and returns the final response, whatever its status, once retries are spent or not warranted.
   * Throws RegistryError with status 0 when no response arrived, and for refused redirects.
   */
  async request(req: TransportRequest): Promise<TransportResponse> {
    const prepared = prepareRequest(req);
    const startedAt = this.#policy.now();
    for (let attempt = 1; ; attempt += 1) {
      let response: BodyResponse;
      try {
        response = await this.#follow(prepared);
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        const wait =
          prepared.idempotent && isRetryableNetworkError(error)
            ? nextRetryDelay(attempt, startedAt, this.#policy)
            : undefined;
        if (wait === undefined) throw networkFailure(prepared, attempt, error);
        await this.#backOff(prepared, attempt, describeCause(error), wait);
        continue;
      }
      if (prepared.idempotent && isRetryableStatus(response.status)) {
        const retryAfter = parseRetryAfter(response.headers['retry-after'], this.#policy.now());
        const wait = nextRetryDelay(attempt, startedAt, this.#policy, retryAfter);
        if (wait !== undefined) {
          await response.discard();
          await this.#backOff(prepared, attempt, describeStatus(response.status), wait);
          continue;
        }
      }
      return response;
    }
  }

  /** Closes the connection pools this transport created (an injected dispatcher is left to its owner). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #backOff(req: PreparedRequest, attempt: number, reason: string, wait: number): Promise<void> {
    this.#logger.info(
      `retrying ${req.method} ${redactUrl(req.url)} after ${reason}: attempt ${attempt + 1} of ` +
        `${this.#policy.maxAttempts} in ${wait} ms`,
    );
    await this.#policy.sleep(wait);
  }

  /** One attempt: the request and the redirects it leads to. */
  async #follow(req: PreparedRequest): Promise<BodyResponse> {
    let hop: RedirectHop = { url: req.url, method: req.method, keepBody: true };
    for (let redirects = 0; ; redirects += 1) {
      const response = await this.#send(req, hop);
      const location =
        req.followRedirects && isRedirectStatus(response.status) ? response.headers['location'] : undefined;
      if (location === undefined) return response;
      await response.discard();
      if (redirects === MAX_REDIRECTS) {
        throw new RegistryError(
          `failed to ${req.method} ${redactUrl(req.url)}: more than ${MAX_REDIRECTS} redirects (last to ${redactUrl(response.url)})`,
          { method: req.method, url: req.url, status: response.status },
        );
      }
      const next = planRedirect(hop.method, hop.url, response.status, location);
      hop = { ...next, keepBody: hop.keepBody && next.keepBody };
    }
  }

  async #send(req: PreparedRequest, hop: RedirectHop): Promise<BodyResponse> {
    const release = await this.#limiter.acquire(hop.url.host);
    const withBody = hop.keepBody && req.body !== undefined;
    const startedAt = this.#policy.now();
    const target = `${hop.method} ${redactUrl(hop.url)}`;
    let body: Uint8Array | Readable | undefined;
    let data: Dispatcher.ResponseData;
    try {
      body = withBody ? openBody(req.body) : undefined;
      data = await this.#dispatcher.request({
        origin: hop.url.origin,
        path: hop.url.pathname + hop.url.search,
        method: hop.method,
        headers: this.#hopHeaders(req, hop, withBody),
        body,
        headersTimeout: this.#headersTimeout,
        bodyTimeout: this.#bodyTimeout,
      });
    } catch (error) {
      release();
      if (body instanceof Readable) body.destroy();
      this.#logger.debug(`${target} failed (${this.#policy.now() - startedAt} ms): ${describeCause(error)}`);
      throw error;
    }
    this.#logger.debug(`${target} ${data.statusCode} (${this.#policy.now() - startedAt} ms)`);
    const response = new BodyResponse(hop.method, hop.url, data);
    if (response.hasEmptyBody()) release();
    else finished(data.body, () => release());
    this.#notices.observe(response);
    return response;
  }

  #hopHeaders(req: PreparedRequest, hop: RedirectHop, withBody: boolean): Record<string, string> {
    const sameOrigin = hop.url.origin === req.url.origin;
    const methodChanged = hop.method !== req.method;
    const headers: Record<string, string> = { 'user-agent': this.#userAgent, 'accept-encoding': 'identity' };
    for (const [name, value] of Object.entries(req.headers)) {
      if (!sameOrigin && CREDENTIAL_HEADERS.has(name)) continue;
      if (methodChanged && name === 'content-type') continue;
      headers[name] = value;
    }
    if (sameOrigin && req.authorization !== undefined) headers['authorization'] = req.authorization;
    if (withBody) headers['content-length'] = String(req.contentLength);
    else if (PAYLOAD_METHODS.has(hop.method)) headers['content-length'] = '0';
    return headers;
  }
}

function prepareRequest(req: TransportRequest): PreparedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    const lower = name.toLowerCase();
    if (!FRAMING_HEADERS.has(lower)) headers[lower] = value;
  }
  return {
    method: req.method,
    url: req.url,
    headers,
    body: req.body,
    contentLength: bodyLength(req),
    authorization: req.authorization,
    followRedirects: req.followRedirects ?? (req.method === 'GET' || req.method === 'HEAD'),
    idempotent: req.idempotent ?? IDEMPOTENT_METHODS.has(req.method),
  };
}

function bodyLength(req: TransportRequest): number {
  const { body, contentLength } = req;
  const where = `${req.method} ${redactUrl(req.url)}`;
  if (body === undefined) return 0;
  if (typeof body === 'function') {
    if (contentLength === undefined || !Number.isSafeInteger(contentLength) || contentLength < 0) {
      throw new TypeError(
        `${where}: a stream body needs contentLength (a byte count), got ${String(contentLength)}`,
      );
    }
    return contentLength;
  }
  if (contentLength !== undefined && contentLength !== body.byteLength) {
    throw new TypeError(
      `${where}: contentLength ${contentLength} differs from the body's ${body.byteLength} bytes`,
    );
  }
  return body.byteLength;
}

function openBody(body: RequestBody | undefined): Uint8Array | Readable | undefined {
  if (typeof body !== 'function') return body;
  const source = body();
  return source instanceof Readable
    ? source
    : Readable.from(source as AsyncIterable<Uint8Array>, { objectMode: false });
}

function networkFailure(req: PreparedRequest, attempts: number, error: unknown): RegistryError {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return new RegistryError(`failed to ${req.method} ${redactUrl(req.url)}${tries}: ${describeCause(error)}`, {
    method: req.method,
    url: req.url,
    status: 0,
    cause: error,
  });
}

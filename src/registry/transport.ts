import { STATUS_CODES } from 'node:http';
import { finished, Readable } from 'node:stream';
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import {
  RegistryError,
  diagnosticHeaders,
  formatRegistryErrors,
  parseRegistryErrorBody,
  redactUrl,
} from './errors.js';
import { HostLimiter } from './limiter.js';
import { silentLogger, type Logger } from './logger.js';
import { MAX_REDIRECTS, isRedirectStatus, planRedirect, type RedirectHop } from './redirects.js';
import {
  defaultRetryPolicy,
  isRetryableNetworkError,
  isRetryableStatus,
  nextRetryDelay,
  parseRetryAfter,
  type RetryPolicy,
} from './retry.js';
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
  /** The body as UTF-8, at most `maxBytes` (default ERROR_BODY_LIMIT); throws RegistryError when larger. */
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

/** Error bodies are read up to this many bytes (as go-containerregistry does). */
export const ERROR_BODY_LIMIT = 64 * 1024;

const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;
const DEFAULT_BODY_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_MAX_CONCURRENT_PER_HOST = 6;
// Past this, draining a body costs more than a new connection; undici then closes the socket.
const DISCARD_DRAIN_LIMIT = 256 * 1024;
const IDEMPOTENT_METHODS = new Set<TransportMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
const PAYLOAD_METHODS = new Set<TransportMethod>(['PUT', 'POST', 'PATCH']);
// Never forwarded to another origin; framing headers are ours to set.
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'host']);
// Rate-limit headers say how many requests are left; below this share we warn.
const LOW_QUOTA_SHARE = 0.1;

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
        await this.#backOff(prepared, attempt, describeError(error), wait);
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
      this.#logger.debug(`${target} failed (${this.#policy.now() - startedAt} ms): ${describeError(error)}`);
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

/**
 * Throws RegistryError unless `res.status` is one of `expected`. The error body (read up to 64 KiB) supplies the
 * distribution error codes: "failed to <what>: 404 Not Found (MANIFEST_UNKNOWN: manifest unknown)".
 */
export async function expectStatus(
  res: TransportResponse,
  expected: number[],
  context: { method: string; what: string },
): Promise<void> {
  if (expected.includes(res.status)) return;
  const text = await res.text(ERROR_BODY_LIMIT).catch(() => '');
  const errors = parseRegistryErrorBody(text);
  const detail =
    errors.length > 0 ? formatRegistryErrors(errors) : bodySnippet(text, res.headers['content-type']);
  throw new RegistryError(
    `failed to ${context.what}: ${describeStatus(res.status)}${detail ? ` (${detail})` : ''}`,
    {
      method: context.method,
      url: res.url,
      status: res.status,
      errors,
      headers: diagnosticHeaders(res.headers),
    },
  );
}

/** '404 Not Found'; just the number for statuses Node has no name for. */
export function describeStatus(status: number): string {
  const reason = STATUS_CODES[status];
  return reason ? `${status} ${reason}` : String(status);
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
  return new RegistryError(`failed to ${req.method} ${redactUrl(req.url)}${tries}: ${describeError(error)}`, {
    method: req.method,
    url: req.url,
    status: 0,
    cause: error,
  });
}

/**
 * A one-line description of an error, with its code when the message lacks it. Duck-typed: errors from Node's
 * internals may come from another realm, and undici's connect failures can be AggregateErrors without a message.
 */
function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, code, errors } = error as { message?: unknown; code?: unknown; errors?: unknown };
  const text = typeof message === 'string' ? message.replace(/\s+/g, ' ').trim() : '';
  const codeText = typeof code === 'string' ? code : '';
  if (text) return codeText && !text.includes(codeText) ? `${text} (${codeText})` : text;
  if (Array.isArray(errors) && errors.length > 0) return errors.map(describeError).join('; ');
  return codeText || String(error);
}

function bodySnippet(text: string, contentType: string | undefined): string {
  if (contentType?.includes('html')) return '';
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

class BodyResponse implements TransportResponse {
  readonly status: number;
  readonly url: URL;
  readonly headers: Record<string, string> = {};
  readonly #method: TransportMethod;
  readonly #rawHeaders: Record<string, string[]> = {};
  readonly #body: Dispatcher.ResponseData['body'];

  constructor(method: TransportMethod, url: URL, data: Dispatcher.ResponseData) {
    this.#method = method;
    this.status = data.statusCode;
    this.url = url;
    this.#body = data.body;
    for (const [name, value] of Object.entries(data.headers)) {
      if (value === undefined) continue;
      const values = Array.isArray(value) ? value : [value];
      this.#rawHeaders[name.toLowerCase()] = values;
      this.headers[name.toLowerCase()] = values.join(', ');
    }
  }

  /** True when no body bytes can follow: HEAD, 204, 304, Content-Length 0. */
  hasEmptyBody(): boolean {
    return (
      this.#method === 'HEAD' ||
      this.status === 204 ||
      this.status === 304 ||
      this.headers['content-length'] === '0'
    );
  }

  headerValues(name: string): string[] {
    return [...(this.#rawHeaders[name.toLowerCase()] ?? [])];
  }

  async text(maxBytes = ERROR_BODY_LIMIT): Promise<string> {
    return new TextDecoder().decode(await this.bytes(maxBytes));
  }

  async bytes(maxBytes: number): Promise<Uint8Array> {
    const declared = Number(this.headers['content-length']);
    if (declared > maxBytes) {
      this.#body.destroy();
      throw this.#readError(`${declared} bytes exceed the limit of ${maxBytes}`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for await (const chunk of this.#body as AsyncIterable<Uint8Array>) {
        total += chunk.byteLength;
        // Leaving the loop destroys the body, which frees the connection.
        if (total > maxBytes) throw this.#readError(`more than ${maxBytes} bytes`);
        chunks.push(chunk);
      }
    } catch (error) {
      throw error instanceof RegistryError ? error : this.#readError(describeError(error), error);
    }
    return Buffer.concat(chunks);
  }

  stream(): AsyncIterable<Uint8Array> & NodeJS.ReadableStream {
    return this.#body;
  }

  async discard(): Promise<void> {
    // A failure while draining only means the connection is not reused.
    await this.#body.dump({ limit: DISCARD_DRAIN_LIMIT }).catch(() => undefined);
  }

  #readError(reason: string, cause?: unknown): RegistryError {
    return new RegistryError(
      `failed to read the response to ${this.#method} ${redactUrl(this.url)}: ${reason}`,
      {
        method: this.#method,
        url: this.url,
        status: this.status,
        cause,
      },
    );
  }
}

/** Surfaces what registries tell clients on the side: `Warning: 299` texts and rate-limit headers. */
class ResponseNotices {
  readonly #logger: Logger;
  readonly #warned = new Set<string>();
  readonly #lowQuotaHosts = new Set<string>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  observe(response: TransportResponse): void {
    const host = response.url.host;
    for (const text of parseWarnings(response.headerValues('warning'))) {
      if (this.#warned.has(text)) continue;
      this.#warned.add(text);
      this.#logger.warning(`registry ${host} warns: ${text}`);
    }
    this.#observeRateLimit(host, response.headers);
  }

  #observeRateLimit(host: string, headers: Record<string, string>): void {
    const limit = leadingInteger(headers['ratelimit-limit']);
    const remaining = leadingInteger(headers['ratelimit-remaining']);
    const source = headers['docker-ratelimit-source'];
    if (limit === undefined || remaining === undefined) {
      if (source !== undefined) this.#logger.debug(`rate limit source at ${host}: ${source}`);
      return;
    }
    const by = source === undefined ? '' : ` (source ${source})`;
    this.#logger.debug(`rate limit at ${host}: ${remaining} of ${limit} requests left${by}`);
    if (remaining > limit * LOW_QUOTA_SHARE || this.#lowQuotaHosts.has(host)) return;
    this.#lowQuotaHosts.add(host);
    this.#logger.warning(`rate limit at ${host} nearly used up: ${remaining} of ${limit} requests left${by}`);
  }
}

// warning-value = warn-code SP warn-agent SP warn-text [SP warn-date] (RFC 7234 §5.5); registries use code 299.
const WARNING_VALUE = /(\d{3})\s+\S+\s+"((?:[^"\\]|\\.)*)"/g;

/** The texts of the 299 warnings in `values`, unescaped, with control characters blanked out. */
function parseWarnings(values: string[]): string[] {
  const texts: string[] = [];
  for (const value of values) {
    for (const match of value.matchAll(WARNING_VALUE)) {
      if (match[1] !== '299' || match[2] === undefined) continue;
      // eslint-disable-next-line no-control-regex -- registry text must not smuggle line breaks into the log
      texts.push(match[2].replace(/\\(.)/g, '$1').replace(/[\u0000-\u001f\u007f]/g, ' '));
    }
  }
  return texts;
}

function leadingInteger(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^\s*(\d+)/.exec(value);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

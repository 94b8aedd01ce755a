import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { redactUrl } from '../../common/redact.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import { HostLimitSender } from './host-limit-sender.js';
import { HostLimiter } from './limiter.js';
import { LoggingSender } from './logging-sender.js';
import { NoticeSender } from './notices.js';
import { RedirectSender } from './redirect-sender.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry.js';
import { RetrySender } from './retry-sender.js';
import type {
  PreparedRequest,
  RequestBound,
  Sender,
  TransportMethod,
  TransportRequest,
  TransportResponse,
} from './sender.js';
import { UndiciSender } from './undici-sender.js';
import { defaultUserAgent } from './user-agent.js';

export interface TransportOptions {
  /** Default: the proxy-aware keep-alive agent of `defaultDispatcher`. */
  dispatcher?: Dispatcher;
  logger?: Logger;
  userAgent?: string;
  timeouts?: Partial<TransportTimeouts>;
  /**
   * The run's deadline: ends every request in flight and every one after it with TimedOutError. A fixed signal, or
   * a bound asked as each request starts.
   */
  signal?: AbortSignal | RequestBound;
  retry?: Partial<RetryPolicy>;
  /** In-flight requests per host, bodies included. Default 32. */
  maxConcurrentPerHost?: number;
  /** Called once before the default agent is made, so process-wide settings for its connections apply. */
  beforeFirstConnection?: (() => void) | undefined;
}

/** How long a silent or slow registry is waited for before the attempt is abandoned (and retried when it may be). */
export interface TransportTimeouts {
  /** Until the response headers arrive. */
  headersMs: number;
  /** The longest pause between two chunks of a body. */
  bodyIdleMs: number;
  /** The whole exchange of a buffered read (a manifest, a config): a body trickling in is not worth waiting for. */
  bufferedMs: number;
}

/**
 * 30 s of silence is far beyond any registry's working pause, and a retry on a new connection usually answers at
 * once; 2 minutes for a document of at most a few MiB is a floor of tens of KiB/s.
 */
export const defaultTimeouts: TransportTimeouts = {
  headersMs: 30_000,
  bodyIdleMs: 30_000,
  bufferedMs: 120_000,
};
/**
 * Enough for the first wave of 16 platforms and as many tags (a manifest read each, a HEAD each) to go together:
 * with 16, a 16-platform run's last reads waited a round trip for the tags' HEADs to free their slots.
 */
const DEFAULT_MAX_CONCURRENT_PER_HOST = 32;
/** Idle connections are kept this long for the run's next request (undici's 4 s default is shorter than a copy). */
const KEEP_ALIVE_MS = 30_000;
const IDEMPOTENT_METHODS = new Set<TransportMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
// Framing headers are ours to set.
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'host']);

/**
 * HTTP for the registry layer: a stack of senders, each wrapping the next (retry → redirects → notices →
 * per-host limit → logging → undici). Authentication sits above it, in the registry session.
 */
export class Transport {
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #stack: Sender;
  readonly #bound: RequestBound | undefined;

  constructor(options: TransportOptions = {}) {
    this.#ownsDispatcher = options.dispatcher === undefined;
    const maxPerHost = options.maxConcurrentPerHost ?? DEFAULT_MAX_CONCURRENT_PER_HOST;
    if (options.dispatcher === undefined) options.beforeFirstConnection?.();
    this.#dispatcher = options.dispatcher ?? defaultDispatcher(maxPerHost);
    const logger = options.logger ?? silentLogger;
    const policy = { ...defaultRetryPolicy, ...options.retry };
    const timeouts = { ...defaultTimeouts, ...options.timeouts };
    this.#bound = options.signal instanceof AbortSignal ? fixedBound(options.signal) : options.signal;
    const undici = new UndiciSender({
      dispatcher: this.#dispatcher,
      userAgent: options.userAgent ?? defaultUserAgent,
      headersTimeoutMs: timeouts.headersMs,
      bodyTimeoutMs: timeouts.bodyIdleMs,
    });
    const limiter = new HostLimiter(maxPerHost);
    const limited = new HostLimitSender(new LoggingSender(undici, logger, policy.now), limiter);
    const redirected = new RedirectSender(new NoticeSender(limited, logger));
    this.#stack = new RetrySender(redirected, policy, logger, timeouts.bufferedMs);
  }

  /**
   * Sends `req` and returns the final response, whatever its status, once retries are spent or not warranted.
   * Throws RegistryError with status 0 when no response arrived, and for refused redirects.
   */
  async request(req: TransportRequest): Promise<TransportResponse> {
    return this.#stack.send(prepareRequest(req, this.#bound));
  }

  /** Closes the connection pools this transport created (an injected dispatcher is left to its owner). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}

/**
 * HTTP/2 flow-control windows. undici's defaults (512 KiB for the whole connection, 256 KiB per stream) let a
 * distant registry send only that much before waiting a round trip for our WINDOW_UPDATE: several copies sharing
 * one connection crawled at 512 KiB per round trip, and a 1 MiB layer took four. Bodies are read as they come, so
 * what a window lets in is passed on, not piled up.
 */
const H2_CONNECTION_WINDOW_BYTES = 32 * 1024 * 1024;
const H2_STREAM_WINDOW_BYTES = 8 * 1024 * 1024;

/**
 * undici 8 types the stream window as `settings.initialWindowSize` but reads `initialWindowSize` beside it (and
 * only checks the other): both are given, so the window holds whichever one a later undici reads.
 */
const H2_OPTIONS: NonNullable<EnvHttpProxyAgent.Options['h2Options']> & { initialWindowSize: number } = {
  connectionWindowSize: H2_CONNECTION_WINDOW_BYTES,
  initialWindowSize: H2_STREAM_WINDOW_BYTES,
  settings: { initialWindowSize: H2_STREAM_WINDOW_BYTES },
};

/**
 * HTTP_PROXY, HTTPS_PROXY and NO_PROXY honoured; per origin a pool of at most `connections` kept-alive connections,
 * one request at a time on each (no pipelining), or HTTP/2 where the registry offers it over TLS (ALPN).
 */
export function defaultDispatcher(connections: number): Dispatcher {
  return new EnvHttpProxyAgent({
    connections,
    pipelining: 1,
    keepAliveTimeout: KEEP_ALIVE_MS,
    allowH2: true,
    h2Options: H2_OPTIONS,
  });
}

/** A signal that never moves on; it tells no time left. */
function fixedBound(signal: AbortSignal): RequestBound {
  return { signal: () => signal, msLeft: () => undefined };
}

function prepareRequest(req: TransportRequest, bound: RequestBound | undefined): PreparedRequest {
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
    bufferBody: req.bufferBody,
    signal: bound?.signal(req.role ?? 'work'),
    msLeft: bound === undefined ? undefined : () => bound.msLeft(),
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

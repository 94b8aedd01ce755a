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
  /**
   * Reads a 2xx body into memory (at most this many bytes) as part of the request, so that a body cut short,
   * stalled or trickling is retried with it; the response then serves the bytes read. For small documents only.
   */
  bufferBody?: number;
  /** How the request obeys the run's bound; default `work`. See RequestRole. */
  role?: RequestRole;
}

/**
 * What a request is to the run, for its bound: `work` stops when the work stops. `opening` creates something the
 * caller must tidy (an upload session): it never starts once the work has stopped, but one already sent runs to its
 * answer on the cleanup bound, so the caller learns what to cancel. `cleanup` tidies up after a failure (drops an
 * upload session): it obeys the cleanup bound, which outlives the work by a moment, so a run that timed out still
 * cancels what it opened.
 */
export type RequestRole = 'work' | 'opening' | 'cleanup';

/**
 * The bound every request obeys, asked as each request starts: the entry point moves it on (the run's work, then
 * the settling of its tags on a fresh bound of their own) without the registry layer knowing why.
 */
export interface RequestBound {
  /** The signal a request starting now obeys, by its role (see RequestRole). */
  signal(role: RequestRole): AbortSignal | undefined;
  /** Milliseconds until the work's signal fires, where known. */
  msLeft(): number | undefined;
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

/** A request as the layers of the transport pass it down: defaults applied, header names lowercase. */
export interface PreparedRequest {
  method: TransportMethod;
  url: URL;
  headers: Record<string, string>;
  /** Absent on a hop that dropped the body (a redirect turned the request into a GET). */
  body: RequestBody | undefined;
  contentLength: number;
  /** Sent as is; the redirect layer drops it on a hop to another origin. */
  authorization: string | undefined;
  followRedirects: boolean;
  idempotent: boolean;
  bufferBody: number | undefined;
  /** Ends the exchange, the body's transfer included: the run's deadline, or one attempt's. */
  signal: AbortSignal | undefined;
  /** Milliseconds left before `signal` fires, where known: a Retry-After longer than that is not waited out. */
  msLeft?: (() => number | undefined) | undefined;
}

/**
 * One layer of the transport: sends a request (through the next layer) and returns the response, whatever its
 * status. Each layer knows only the next one.
 */
export interface Sender {
  send(req: PreparedRequest): Promise<TransportResponse>;
}

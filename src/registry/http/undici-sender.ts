import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { BodyResponse } from './response.js';
import type { PreparedRequest, RequestBody, Sender, TransportMethod, TransportResponse } from './sender.js';

export interface UndiciSenderOptions {
  dispatcher: Dispatcher;
  userAgent: string;
  headersTimeoutMs: number;
  /** The longest pause between two chunks of a body. */
  bodyTimeoutMs: number;
}

const PAYLOAD_METHODS = new Set<TransportMethod>(['PUT', 'POST', 'PATCH']);

/**
 * The bottom of the transport: one exchange over undici's `request()`, no decompression (`Accept-Encoding:
 * identity`), an explicit Content-Length (uploads are never chunked).
 */
export class UndiciSender implements Sender {
  readonly #options: UndiciSenderOptions;

  constructor(options: UndiciSenderOptions) {
    this.#options = options;
  }

  async send(req: PreparedRequest): Promise<TransportResponse> {
    let body: Uint8Array | Readable | undefined;
    try {
      body = openBody(req.body);
      const data = await this.#options.dispatcher.request({
        origin: req.url.origin,
        path: req.url.pathname + req.url.search,
        method: req.method,
        headers: this.#headers(req),
        body,
        // undici closes the connection after a HEAD in case the server sends a body anyway; registries do not,
        // and a new connection costs a handshake or two for every tag and blob checked.
        ...(req.method === 'HEAD' && { reset: false }),
        headersTimeout: this.#options.headersTimeoutMs,
        bodyTimeout: this.#options.bodyTimeoutMs,
        signal: req.signal,
      });
      return new BodyResponse(req.method, req.url, data);
    } catch (error) {
      if (body instanceof Readable) body.destroy();
      throw error;
    }
  }

  #headers(req: PreparedRequest): Record<string, string> {
    const headers: Record<string, string> = {
      'user-agent': this.#options.userAgent,
      'accept-encoding': 'identity',
      ...req.headers,
    };
    if (req.authorization !== undefined) headers['authorization'] = req.authorization;
    if (req.body !== undefined) headers['content-length'] = String(req.contentLength);
    else if (PAYLOAD_METHODS.has(req.method)) headers['content-length'] = '0';
    return headers;
  }
}

function openBody(body: RequestBody | undefined): Uint8Array | Readable | undefined {
  if (typeof body !== 'function') return body;
  const source = body();
  return source instanceof Readable
    ? source
    : Readable.from(source as AsyncIterable<Uint8Array>, { objectMode: false });
}

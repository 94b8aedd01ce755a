import { Readable } from 'node:stream';
import { RegistryError } from './registry-error.js';
import { redactUrl } from '../../common/redact.js';
import type { TransportMethod, TransportResponse } from './sender.js';

/** A response whose body was read in full while the request could still be retried; serves those bytes. */
export class BufferedResponse implements TransportResponse {
  readonly status: number;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly #method: TransportMethod;
  readonly #source: TransportResponse;
  readonly #body: Uint8Array;

  private constructor(method: TransportMethod, source: TransportResponse, body: Uint8Array) {
    this.status = source.status;
    this.url = source.url;
    this.headers = source.headers;
    this.#method = method;
    this.#source = source;
    this.#body = body;
  }

  /** Reads `response`'s body, at most `maxBytes` (a larger one throws RegistryError, as `bytes` does). */
  static async read(
    method: TransportMethod,
    response: TransportResponse,
    maxBytes: number,
  ): Promise<BufferedResponse> {
    return new BufferedResponse(method, response, await response.bytes(maxBytes));
  }

  headerValues(name: string): string[] {
    return this.#source.headerValues(name);
  }

  async text(maxBytes?: number): Promise<string> {
    return new TextDecoder().decode(await this.bytes(maxBytes ?? this.#body.byteLength));
  }

  async bytes(maxBytes: number): Promise<Uint8Array> {
    if (this.#body.byteLength <= maxBytes) return this.#body;
    throw new RegistryError(
      `failed to read the response to ${this.#method} ${redactUrl(this.url)}: ` +
        `${this.#body.byteLength} bytes exceed the limit of ${maxBytes}`,
      { method: this.#method, url: this.url, status: this.status },
    );
  }

  stream(): AsyncIterable<Uint8Array> & NodeJS.ReadableStream {
    return Readable.from([this.#body], { objectMode: false });
  }

  async discard(): Promise<void> {
    // Already read: the connection is free.
  }
}

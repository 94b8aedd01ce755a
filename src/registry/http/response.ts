import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import {
  RegistryError,
  diagnosticHeaders,
  formatRegistryErrors,
  parseRegistryErrorBody,
} from './registry-error.js';
import { describeCause } from '../../common/causes.js';
import { redactUrl } from '../../common/redact.js';
import type { TransportMethod, TransportResponse } from './sender.js';

/** Error bodies are read up to this many bytes (as go-containerregistry does). */
export const ERROR_BODY_LIMIT = 64 * 1024;
// Past this, draining a body costs more than a new connection; undici then closes the socket.
const DISCARD_DRAIN_LIMIT = 256 * 1024;

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

function bodySnippet(text: string, contentType: string | undefined): string {
  if (contentType?.includes('html')) return '';
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** True when no body bytes can follow: HEAD, 204, 304, Content-Length 0. */
export function hasEmptyBody(method: TransportMethod, response: TransportResponse): boolean {
  return (
    method === 'HEAD' ||
    response.status === 204 ||
    response.status === 304 ||
    response.headers['content-length'] === '0'
  );
}

/**
 * Resolves after undici has put the connection of a response just read back in its pool: over HTTP/1.1 it waits
 * one event-loop turn (a setImmediate) before reusing a socket, and a request sent in that turn opened a new
 * connection instead, paying a handshake (two over TLS). An immediate queued now runs after undici's.
 */
function connectionFreed(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A response whose body is read at most once: capped into memory, streamed, or discarded. */
export class BodyResponse implements TransportResponse {
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
      throw error instanceof RegistryError ? error : this.#readError(describeCause(error), error);
    }
    await connectionFreed();
    return Buffer.concat(chunks);
  }

  stream(): AsyncIterable<Uint8Array> & NodeJS.ReadableStream {
    return this.#body;
  }

  async discard(): Promise<void> {
    // A failure while draining only means the connection is not reused.
    await this.#body.dump({ limit: DISCARD_DRAIN_LIMIT }).catch(() => undefined);
    await connectionFreed();
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

/**
 * Counts HTTP/1.1 requests in the client-to-server byte stream of one connection. It reads each request head and
 * skips the body by Content-Length or chunked framing, so bytes inside a body are never taken for a request.
 */
export class HttpRequestCounter {
  #buffer: Buffer = Buffer.alloc(0);
  /** Body bytes (or chunk bytes plus their CRLF) still to skip. */
  #skip = 0;
  #chunked = false;

  constructor(private readonly onRequest: (method: string, target: string) => void) {}

  feed(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (this.#step());
  }

  /** Consumes one framing element; false when more bytes are needed. */
  #step(): boolean {
    if (this.#skip > 0) {
      const skipped = Math.min(this.#skip, this.#buffer.length);
      this.#skip -= skipped;
      this.#buffer = this.#buffer.subarray(skipped);
    }
    if (this.#skip > 0 || this.#buffer.length === 0) return false;
    return this.#chunked ? this.#chunkHead() : this.#requestHead();
  }

  #requestHead(): boolean {
    const end = this.#buffer.indexOf('\r\n\r\n');
    if (end < 0) return false;
    const [requestLine = '', ...headerLines] = this.#buffer.subarray(0, end).toString('latin1').split('\r\n');
    this.#buffer = this.#buffer.subarray(end + 4);
    const [method = '', target = ''] = requestLine.split(' ');
    this.onRequest(method, target);
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line
        .slice(colon + 1)
        .trim()
        .toLowerCase();
      if (name === 'content-length') this.#skip = Number(value);
      if (name === 'transfer-encoding' && value.includes('chunked')) this.#chunked = true;
    }
    return true;
  }

  #chunkHead(): boolean {
    const lineEnd = this.#buffer.indexOf('\r\n');
    if (lineEnd < 0) return false;
    const size = Number.parseInt(
      this.#buffer.subarray(0, lineEnd).toString('latin1').split(';')[0] ?? '',
      16,
    );
    if (size > 0) {
      this.#buffer = this.#buffer.subarray(lineEnd + 2);
      this.#skip = size + 2;
      return true;
    }
    // The last chunk: optional trailer lines, then an empty line.
    const end = this.#buffer.indexOf('\r\n\r\n', lineEnd);
    if (end < 0) return false;
    this.#buffer = this.#buffer.subarray(end + 4);
    this.#chunked = false;
    return true;
  }
}

/** `GET manifest`, `PUT blob upload`…: the method and what the path names, for a per-kind breakdown. */
export function requestKind(method: string, target: string): string {
  const path = target.split('?')[0] ?? '';
  const what =
    path === '/v2/' || path === '/v2'
      ? 'ping'
      : path.includes('/manifests/')
        ? 'manifest'
        : path.includes('/blobs/uploads')
          ? 'upload'
          : path.includes('/blobs/')
            ? 'blob'
            : path.endsWith('/tags/list')
              ? 'tags'
              : path.includes('/referrers/')
                ? 'referrers'
                : 'other';
  return `${method} ${what}`;
}

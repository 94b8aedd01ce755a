import { TarFormatError } from './tar-format-error.js';

/** Reads exact byte counts from a stream of chunks, without holding more than the chunk under way. */
export class ByteReader {
  private readonly chunks: AsyncIterator<Uint8Array>;
  private pending: Uint8Array = new Uint8Array();
  /** Bytes consumed so far, for messages. */
  position = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.chunks = source[Symbol.asyncIterator]();
  }

  /** The next `length` bytes, or undefined when the stream ends exactly here; throws when it ends inside them. */
  async read(length: number, what: string): Promise<Uint8Array | undefined> {
    const parts: Uint8Array[] = [];
    let have = 0;
    await this.each(
      length,
      what,
      (chunk) => {
        parts.push(chunk);
        have += chunk.byteLength;
      },
      true,
    );
    if (have === 0 && length > 0) return undefined;
    return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
  }

  /** Hands the next `length` bytes to `visit` as they arrive, each with its offset from the first. */
  async each(
    length: number,
    what: string,
    visit: (chunk: Uint8Array, offset: number) => void,
    endAllowedAtStart = false,
  ): Promise<void> {
    let done = 0;
    while (done < length) {
      if (this.pending.byteLength === 0) {
        const next = await this.chunks.next();
        if (next.done === true) {
          if (done === 0 && endAllowedAtStart) return;
          throw new TarFormatError(
            `the archive ends ${done} bytes into ${what} at byte ${this.position - done} (${length} expected)`,
          );
        }
        this.pending = next.value;
        continue;
      }
      const take = Math.min(length - done, this.pending.byteLength);
      visit(this.pending.subarray(0, take), done);
      this.pending = this.pending.subarray(take);
      done += take;
      this.position += take;
    }
  }

  /** Stops reading: the source's iterator is told it is no longer wanted. */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}

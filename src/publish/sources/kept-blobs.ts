import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import { readingBlobsThrough, type ContentSource } from '../../oci/content-source.js';
import { createDigester, type Digest } from '../../oci/digest.js';
import type { Descriptor } from '../../oci/manifest.js';

/** A blob larger than this is never kept: it streams from its source each time. */
export const KEPT_BLOB_MAX_BYTES = 8 * 1024 * 1024;
/** What a run keeps in all, at most. */
export const KEPT_TOTAL_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Small blobs a run has read whole (configs, and layers the binary proof read to their end), kept so that the copy
 * into another registry that follows reads them from memory instead of from their registry a second time: one
 * request and one round trip fewer per blob. Only bytes that hashed to their digest are kept, and only within
 * KEPT_BLOB_MAX_BYTES a blob and KEPT_TOTAL_MAX_BYTES in all; anything else streams from its source as before.
 */
export class KeptBlobs {
  readonly #bytes = new Map<Digest, Uint8Array>();
  /** Bytes kept, and bytes promised to blobs being read now. */
  #held = 0;

  /** `targets`: the registries the run copies into. */
  constructor(
    private readonly targets: ReadonlySet<string>,
    private readonly blobMaxBytes = KEPT_BLOB_MAX_BYTES,
    private readonly totalMaxBytes = KEPT_TOTAL_MAX_BYTES,
  ) {}

  /**
   * `from`, reading through this store, when a copy may read its blobs again: not a layout on disk (it reads as
   * fast again), nor a repository whose registry is the only target (its blobs are mounted, never read).
   */
  around(from: ContentSource): ContentSource {
    const home = from.repository;
    if (home === undefined || [...this.targets].every((registry) => registry === home.registry)) return from;
    return readingBlobsThrough(from, {
      readBlob: async (descriptor, maxBytes) => {
        const kept = this.#bytes.get(descriptor.digest);
        if (kept !== undefined && kept.byteLength <= maxBytes) return kept;
        const bytes = await from.readBlob(descriptor, maxBytes);
        // readBlob verified them.
        if (this.#reserve(descriptor)) this.#keep(descriptor, bytes);
        return bytes;
      },
      openBlob: async (descriptor) => {
        const kept = this.#bytes.get(descriptor.digest);
        if (kept !== undefined) return Readable.from([kept], { objectMode: false });
        const stream = await from.openBlob(descriptor);
        if (!this.#reserve(descriptor)) return stream;
        // A source's failure reaches the reader through the tap; a reader that stops early stops the source.
        return pipeline(stream, this.#tap(descriptor), () => undefined);
      },
    });
  }

  /** Promises room for `descriptor`'s bytes, when it may be kept and is not already. */
  #reserve(descriptor: Descriptor): boolean {
    const { digest, size } = descriptor;
    if (!digest.startsWith('sha256:') || this.#bytes.has(digest)) return false;
    if (size > this.blobMaxBytes || this.#held + size > this.totalMaxBytes) return false;
    this.#held += size;
    return true;
  }

  #keep(descriptor: Descriptor, bytes: Uint8Array): void {
    if (this.#bytes.has(descriptor.digest)) this.#release(descriptor);
    else this.#bytes.set(descriptor.digest, bytes);
  }

  #release(descriptor: Descriptor): void {
    this.#held -= descriptor.size;
  }

  /** Passes the stream on as it comes, and keeps its bytes once it has ended whole, at its digest. */
  #tap(descriptor: Descriptor): Transform {
    const chunks: Buffer[] = [];
    const digester = createDigester();
    let received = 0;
    let settled = false;
    const settle = (bytes?: Uint8Array): void => {
      if (settled) return;
      settled = true;
      if (bytes === undefined) this.#release(descriptor);
      else this.#keep(descriptor, bytes);
    };
    return new Transform({
      transform(chunk: Buffer, _encoding, done: TransformCallback) {
        received += chunk.byteLength;
        if (received <= descriptor.size) {
          chunks.push(chunk);
          digester.update(chunk);
        }
        done(null, chunk);
      },
      flush(done: TransformCallback) {
        const whole = received === descriptor.size && digester.digest() === descriptor.digest;
        settle(whole ? Buffer.concat(chunks) : undefined);
        done();
      },
      destroy(error, done) {
        // Read only in part (the proof had what it needed, or the source failed): nothing is kept.
        settle();
        done(error);
      },
    });
  }
}

import { ReportedError } from '../../common/reported-error.js';
import { Transform, type TransformCallback } from 'node:stream';
import { createDigester, sha256Digest } from '../../oci/digest.js';
import { InvalidDigestError } from '../../oci/oci-error.js';
import type { Descriptor } from '../../oci/manifest.js';

/** Content refused before it is read or sent: larger than the client accepts or registries take. */
export class ContentTooLargeError extends ReportedError {
  readonly title = 'Registry content too large';
  override name = 'ContentTooLargeError';
}

type Expected = Pick<Descriptor, 'digest' | 'size'>;

/** Throws InvalidDigestError when `bytes` are not the `size` bytes with `digest` that `expected` describes. */
export function verifyContent(bytes: Uint8Array, expected: Expected, what: string): void {
  const problem =
    bytes.byteLength === expected.size
      ? digestProblem(sha256Digest(bytes), expected)
      : sizeProblem(bytes.byteLength, expected);
  if (problem !== undefined) throw mismatch(what, problem);
}

/**
 * A pass-through for streamed copies that checks the bytes flowing by: it fails as soon as they exceed the
 * expected size, and at the end when the size or the sha256 differ. It holds the latest chunk back until the next
 * one comes or the digest is proven, so an upload of wrong bytes never reaches its Content-Length: the registry
 * cannot finalise it, whether or not it verifies digests itself. The failure is also kept in `failure`, because
 * the HTTP client that consumes the stream reports a broken body in its own words.
 */
export class VerifyingStream extends Transform {
  failure: InvalidDigestError | undefined;
  readonly #expected: Expected;
  readonly #what: string;
  readonly #digester = createDigester();
  readonly #onChunk: (bytes: number) => void;
  #received = 0;
  #held: Buffer | undefined;

  /** `onChunk` hears the size of every chunk passed on (the entry point's read-buffer reclaim). */
  constructor(expected: Expected, what: string, onChunk: (bytes: number) => void = () => undefined) {
    super();
    this.#expected = expected;
    this.#what = what;
    this.#onChunk = onChunk;
  }

  /** Bytes that have passed through so far (for progress reports). */
  get received(): number {
    return this.#received;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#received += chunk.byteLength;
    if (this.#received > this.#expected.size) {
      callback(this.#fail(sizeProblem(`more than ${this.#expected.size}`, this.#expected)));
      return;
    }
    this.#digester.update(chunk);
    this.#onChunk(chunk.byteLength);
    const passed = this.#held;
    this.#held = chunk;
    callback(null, passed);
  }

  override _flush(callback: TransformCallback): void {
    const problem =
      this.#received === this.#expected.size
        ? digestProblem(this.#digester.digest(), this.#expected)
        : sizeProblem(this.#received, this.#expected);
    if (problem !== undefined) {
      callback(this.#fail(problem));
      return;
    }
    callback(null, this.#held);
    this.#held = undefined;
  }

  #fail(problem: string): InvalidDigestError {
    this.failure = mismatch(this.#what, problem);
    return this.failure;
  }
}

function sizeProblem(received: number | string, expected: Expected): string {
  return `received ${received} bytes, expected ${expected.size} (${expected.digest})`;
}

function digestProblem(actual: string, expected: Expected): string | undefined {
  return actual === expected.digest ? undefined : `content has digest ${actual}, expected ${expected.digest}`;
}

function mismatch(what: string, problem: string): InvalidDigestError {
  return new InvalidDigestError(`failed to ${what}: ${problem}`);
}

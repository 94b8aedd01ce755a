import { createHash } from 'node:crypto';
import { InvalidDigestError } from './oci-error.js';

/** A sha256 content digest: `sha256:` followed by 64 lowercase hex characters. */
export type Digest = `sha256:${string}`;

/** Incremental sha256 over chunks; `digest()` may be called once, after the last chunk. */
export interface Digester {
  update(chunk: Uint8Array): void;
  digest(): Digest;
}

const SHA256_PREFIX = 'sha256:';
const SHA256_HEX_LENGTH = 64;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
// Algorithm grammar from image-spec descriptor.md.
const ALGORITHM = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*$/;
const EXPECTED = 'expected "sha256:" followed by 64 lowercase hex characters';

// The registered digest algorithms (image-spec descriptor.md), and only those: "app:<40-hex git sha>" is a
// legitimate Docker Hub name and tag.
const DIGEST_ALGORITHM_PREFIX = /^(?:sha256|sha384|sha512|blake3):/i;

/**
 * True when `text` is written as a bare digest (`sha256:…`, well formed or not), never as a name: the one rule
 * that tells a `sources` digest entry from a reference, and refuses a digest where a reference must be.
 */
export function looksLikeBareDigest(text: string): boolean {
  return DIGEST_ALGORITHM_PREFIX.test(text);
}

/** True when `text` is a well-formed sha256 digest. */
export function isDigest(text: string): text is Digest {
  return SHA256_DIGEST.test(text);
}

/** Validates `text` as a sha256 digest; throws InvalidDigestError saying what is wrong. */
export function parseDigest(text: string): Digest {
  if (isDigest(text)) return text;
  const colon = text.indexOf(':');
  if (colon === -1) throw new InvalidDigestError(`invalid digest "${text}": missing algorithm, ${EXPECTED}`);
  const algorithm = text.slice(0, colon);
  if (algorithm !== 'sha256') {
    const why = ALGORITHM.test(algorithm) ? 'only sha256 is supported' : 'malformed algorithm';
    throw new InvalidDigestError(`invalid digest "${text}": ${why} ("${algorithm}"), ${EXPECTED}`);
  }
  const hex = text.slice(SHA256_PREFIX.length);
  if (/^[a-fA-F0-9]*$/.test(hex) && hex !== hex.toLowerCase()) {
    throw new InvalidDigestError(`invalid digest "${text}": hex must be lowercase, ${EXPECTED}`);
  }
  if (!/^[a-f0-9]*$/.test(hex)) {
    throw new InvalidDigestError(`invalid digest "${text}": non-hex characters, ${EXPECTED}`);
  }
  throw new InvalidDigestError(
    `invalid digest "${text}": ${hex.length} hex characters instead of ${SHA256_HEX_LENGTH}, ${EXPECTED}`,
  );
}

/** The sha256 digest of exactly `bytes`. */
export function sha256Digest(bytes: Uint8Array): Digest {
  const digester = createDigester();
  digester.update(bytes);
  return digester.digest();
}

/** A streaming sha256 digester, for content that arrives in chunks. */
export function createDigester(): Digester {
  const hash = createHash('sha256');
  return {
    update(chunk) {
      hash.update(chunk);
    },
    digest() {
      return `sha256:${hash.digest('hex')}`;
    },
  };
}

/** Throws InvalidDigestError naming `what` when `bytes` do not hash to `expected`. */
export function verifyDigest(bytes: Uint8Array, expected: Digest, what: string): void {
  const actual = sha256Digest(bytes);
  if (actual !== expected) {
    throw new InvalidDigestError(
      `failed to verify ${what}: content has digest ${actual}, expected ${expected}`,
    );
  }
}

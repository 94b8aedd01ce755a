import type { Digest } from '../../oci/digest.js';

/** What a file in a `digests:DIR` folder is: a digest, a name to pass over, or a digest written wrong. */
export type DigestFileName =
  | { kind: 'digest'; digest: Digest }
  | { kind: 'other' }
  | { kind: 'hidden' }
  | { kind: 'broken'; why: string };

const SHA256_HEX_LENGTH = 64;
// `<hex>`, `sha256:<hex>` or `sha256-<hex>`: the names Docker's matrix recipe gives its empty digest files.
const DIGEST_NAME = /^(?:sha256[:-])?([0-9a-f]+)$/i;
const ALGORITHM_PREFIX = /^sha256[:-]/i;
// Unprefixed hex this long is a digest cut short or run on; shorter hex may be a word ("cafe", "added").
const DIGEST_LIKE_HEX_LENGTH = 32;

/**
 * Reads one file name of a `digests:DIR` folder. A name that is all hex, or starts with `sha256:`/`sha256-`, is
 * meant as a digest (unprefixed: 32 hex characters or more): a wrong length or a non-hex character is an error, not
 * a file to skip silently. Hidden files (`.keep`) are no one's digest.
 */
export function readDigestFileName(name: string): DigestFileName {
  if (name.startsWith('.')) return { kind: 'hidden' };
  const hex = DIGEST_NAME.exec(name)?.[1];
  if (hex !== undefined && hex.length === SHA256_HEX_LENGTH) {
    return { kind: 'digest', digest: `sha256:${hex.toLowerCase()}` };
  }
  if (hex !== undefined && (ALGORITHM_PREFIX.test(name) || hex.length >= DIGEST_LIKE_HEX_LENGTH)) {
    return { kind: 'broken', why: `${hex.length} hex characters where a sha256 digest has 64` };
  }
  if (ALGORITHM_PREFIX.test(name)) {
    return { kind: 'broken', why: 'characters other than hex after "sha256"' };
  }
  return { kind: 'other' };
}

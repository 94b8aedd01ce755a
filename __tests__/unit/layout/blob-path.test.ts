import { describe, expect, it } from '@jest/globals';
import { blobPath } from '../../../src/layout/blob-path.js';
import { InvalidDigestError } from '../../../src/oci/oci-error.js';

const HEX = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('blobPath', () => {
  it.each([
    [`sha256:${HEX}`, `blobs/sha256/${HEX}`],
    [`sha256:${'0'.repeat(64)}`, `blobs/sha256/${'0'.repeat(64)}`],
  ])('%s → %s', (digest, expected) => {
    expect(blobPath(digest)).toBe(expected);
  });

  it.each([
    ['sha256:../../../etc/passwd', 'non-hex characters'],
    [`sha256:../${HEX.slice(3)}`, 'non-hex characters'],
    [`sha256:${HEX.slice(0, 61)}/..`, 'non-hex characters'],
    [`../sha256:${HEX}`, 'malformed algorithm'],
    [`sha512:${HEX}${HEX}`, 'only sha256 is supported'],
    [`sha256:${HEX.toUpperCase()}`, 'hex must be lowercase'],
    [HEX, 'missing algorithm'],
    ['', 'missing algorithm'],
  ])('rejects %j: %s', (digest, reason) => {
    const attempt = (): unknown => blobPath(digest);
    expect(attempt).toThrow(InvalidDigestError);
    expect(attempt).toThrow(`"${digest}"`);
    expect(attempt).toThrow(reason);
  });
});

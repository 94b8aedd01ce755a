import { describe, expect, it } from '@jest/globals';
import {
  type Digest,
  createDigester,
  isDigest,
  parseDigest,
  sha256Digest,
  verifyDigest,
} from '../../../src/oci/digest.js';
import { InvalidDigestError } from '../../../src/oci/oci-error.js';

const HEX = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const EMPTY = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' as const;
const ABC = `sha256:${HEX}` as const;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('isDigest', () => {
  it.each([
    [ABC, true],
    [EMPTY, true],
    [`sha256:${HEX.toUpperCase()}`, false],
    [`sha256:${HEX.slice(1)}`, false],
    [`sha256:${HEX}0`, false],
    [`sha256:${HEX.slice(1)}g`, false],
    [`sha512:${HEX}${HEX}`, false],
    [`SHA256:${HEX}`, false],
    [HEX, false],
    [` ${ABC}`, false],
    [`${ABC}\n`, false],
    ['', false],
  ])('%j → %s', (input, expected) => {
    expect(isDigest(input)).toBe(expected);
  });
});

describe('parseDigest', () => {
  it.each([ABC, EMPTY])('accepts %s', (input) => {
    expect(parseDigest(input)).toBe(input);
  });

  it.each([
    [`sha256:${HEX.toUpperCase()}`, 'hex must be lowercase'],
    [`sha256:${HEX.slice(0, 32)}`, '32 hex characters instead of 64'],
    [`sha256:${HEX}ab`, '66 hex characters instead of 64'],
    ['sha256:', '0 hex characters instead of 64'],
    [`sha256:${HEX.slice(1)}z`, 'non-hex characters'],
    [`sha512:${HEX}${HEX}`, 'only sha256 is supported ("sha512")'],
    [`SHA256:${HEX}`, 'malformed algorithm ("SHA256")'],
    [HEX, 'missing algorithm'],
    ['', 'missing algorithm'],
  ])('rejects %j: %s', (input, reason) => {
    const attempt = (): unknown => parseDigest(input);
    expect(attempt).toThrow(InvalidDigestError);
    expect(attempt).toThrow(`"${input}"`);
    expect(attempt).toThrow(reason);
    expect(attempt).toThrow('expected "sha256:" followed by 64 lowercase hex characters');
  });
});

describe('sha256Digest and createDigester', () => {
  it.each([
    ['', EMPTY],
    ['abc', ABC],
    ['é', 'sha256:4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c'],
  ])('hash the exact bytes of %j', (input, expected) => {
    expect(sha256Digest(text(input))).toBe(expected);
    const digester = createDigester();
    for (const char of input) digester.update(text(char));
    expect(digester.digest()).toBe(expected);
  });

  it('hashes chunks as one stream, split anywhere', () => {
    const digester = createDigester();
    digester.update(text('a'));
    digester.update(new Uint8Array(0));
    digester.update(text('bc'));
    expect(digester.digest()).toBe(ABC);
  });
});

describe('verifyDigest', () => {
  it('accepts bytes that hash to the expected digest', () => {
    expect(() => verifyDigest(text('abc'), ABC, 'blob ghcr.io/acme/app')).not.toThrow();
  });

  it.each<[string, Digest]>([
    ['abd', ABC],
    ['', ABC],
    ['abc', EMPTY],
  ])('rejects %j against %s, naming what, expected and actual', (input, expected) => {
    const attempt = (): void => verifyDigest(text(input), expected, 'manifest ghcr.io/acme/app:1.0');
    expect(attempt).toThrow(InvalidDigestError);
    expect(attempt).toThrow('manifest ghcr.io/acme/app:1.0');
    expect(attempt).toThrow(`expected ${expected}`);
    expect(attempt).toThrow(`content has digest ${sha256Digest(text(input))}`);
  });
});

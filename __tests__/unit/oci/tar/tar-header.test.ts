import { describe, expect, it } from '@jest/globals';
import { TarFormatError } from '../../../../src/oci/tar/tar-format-error.js';
import { isEndBlock, parseTarHeader, parseTarNumber } from '../../../../src/oci/tar/tar-header.js';
import { tarOf } from '../../../../testkit/tar.js';

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const base256 = (...bytes: number[]): Uint8Array =>
  Uint8Array.from([...Array(12 - bytes.length).fill(0), ...bytes]);
const withMarker = (field: Uint8Array): Uint8Array => {
  const copy = Uint8Array.from(field);
  copy[0] = (copy[0] ?? 0) | 0x80;
  return copy;
};
/** The first header block of a tar holding `entries`. */
const headerOf = (...entries: Parameters<typeof tarOf>[0]): Buffer =>
  Buffer.from(tarOf(entries)).subarray(0, 512);

describe('parseTarNumber', () => {
  it.each([
    ['octal with a NUL terminator', ascii('00000000644\0'), 0o644],
    ['octal padded with spaces and NULs', ascii('   12 \0\0\0\0\0\0'), 0o12],
    ['octal filling the field', ascii('777777777777'), 0o777777777777],
    ['all NULs', new Uint8Array(12), 0],
    ['all spaces', ascii(' '.repeat(12)), 0],
    ['base-256: 8 GiB', withMarker(base256(0x02, 0x00, 0x00, 0x00, 0x00)), 8 * 1024 ** 3],
    ['base-256: one byte', withMarker(base256(0x2a)), 42],
    [
      'base-256: the largest safe integer',
      withMarker(base256(0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
      Number.MAX_SAFE_INTEGER,
    ],
  ])('reads %s', (_label, field, expected) => {
    expect(parseTarNumber(field, 'size field')).toBe(expected);
  });

  it.each([
    ['a non-octal digit', ascii('00000000648\0'), 'is neither octal digits nor a base-256 number'],
    ['letters', ascii('12a\0        '), '"12a\\u0000        "'],
    ['a space inside the digits', ascii('1 2\0'), 'is neither octal digits nor a base-256 number'],
    ['a negative base-256 number', Uint8Array.from(Array(12).fill(0xff)), 'a negative base-256 number'],
    [
      'a base-256 number past 2^53',
      withMarker(base256(0x20, 0, 0, 0, 0, 0, 0)),
      'is larger than 9007199254740991',
    ],
  ])('rejects %s', (_label, field, reason) => {
    const attempt = (): unknown => parseTarNumber(field, 'size field');
    expect(attempt).toThrow(TarFormatError);
    expect(attempt).toThrow('invalid size field: ');
    expect(attempt).toThrow(reason);
  });
});

describe('parseTarHeader', () => {
  const content = ascii('hello');

  it.each([
    [
      'a regular file',
      headerOf({ name: 'index.json', content }),
      { name: 'index.json', type: '0', size: 5, mode: 0o644, linkName: '' },
    ],
    [
      'a directory',
      headerOf({ name: './blobs/', content: new Uint8Array(), type: 'dir' }),
      { name: './blobs/', type: '5', size: 0, mode: 0o755, linkName: '' },
    ],
    [
      'a pax header',
      headerOf({ name: 'PaxHeader', content, type: 'pax' }),
      { name: 'PaxHeader', type: 'x', size: 5, mode: 0o644, linkName: '' },
    ],
    [
      'a name split into the ustar prefix and name fields',
      headerOf({ name: `${'d/'.repeat(60)}blobs/sha256/x`, content }),
      { name: `${'d/'.repeat(60)}blobs/sha256/x`, type: '0', size: 5, mode: 0o644, linkName: '' },
    ],
    [
      'a base-256 size',
      headerOf({ name: 'big', content, base256Size: true }),
      { name: 'big', type: '0', size: 5, mode: 0o644, linkName: '' },
    ],
  ])('reads %s', (_label, block, expected) => {
    expect(parseTarHeader(block, 0)).toEqual(expected);
  });

  it('ignores the prefix field of a GNU header, where GNU tar keeps other data', () => {
    const block = withGnuMagic(headerOf({ name: `${'d/'.repeat(60)}blobs/sha256/x`, content }));
    expect(parseTarHeader(block, 0)).toEqual({ name: 'x', type: '0', size: 5, mode: 0o644, linkName: '' });
  });

  it('accepts the signed-byte checksum of old tars', () => {
    const block = headerOf({ name: 'caf\u00e9', content });
    const signedSum = block.reduce((sum, byte, index) => {
      const value = index >= 148 && index < 156 ? 0x20 : byte;
      return sum + (value > 0x7f ? value - 0x100 : value);
    }, 0);
    block.write(`${signedSum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    expect(parseTarHeader(block, 0).name).toBe('caf\u00e9');
  });

  it.each([
    [
      'a checksum that does not match',
      corrupt(headerOf({ name: 'index.json', content }), 10),
      'has checksum',
    ],
    ['gzip-compressed data', gzipLike(), 'starts gzip-compressed data: decompress the archive'],
    ['text', Buffer.alloc(512, 'not a tar header '), 'invalid checksum field of the header at byte 1024'],
  ])('rejects %s', (_label, block, reason) => {
    const attempt = (): unknown => parseTarHeader(block, 1024);
    expect(attempt).toThrow(TarFormatError);
    expect(attempt).toThrow(reason);
    expect(attempt).toThrow('byte 1024');
  });
});

describe('isEndBlock', () => {
  it.each([
    ['a zero block', new Uint8Array(512), true],
    ['a header', headerOf({ name: 'a', content: new Uint8Array() }), false],
    ['a zero block but for its last byte', Uint8Array.from([...Array(511).fill(0), 1]), false],
  ])('%s → %s', (_label, block, expected) => {
    expect(isEndBlock(block)).toBe(expected);
  });
});

/** GNU magic "ustar  \0" with the checksum fixed up. */
function withGnuMagic(block: Buffer): Buffer {
  block.write('ustar  \0', 257, 'latin1');
  return fixChecksum(block);
}

/** A header with one byte changed and its checksum left as it was. */
function corrupt(block: Buffer, index: number): Buffer {
  block[index] = (block[index] ?? 0) ^ 0x01;
  return block;
}

function gzipLike(): Buffer {
  const block = Buffer.alloc(512);
  block.set([0x1f, 0x8b, 0x08, 0x00]);
  return block;
}

function fixChecksum(block: Buffer): Buffer {
  block.fill(' ', 148, 156, 'ascii');
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

import { describe, expect, it } from '@jest/globals';
import { TarFormatError } from '../../../../src/oci/tar/tar-format-error.js';
import { parsePaxHeader } from '../../../../src/oci/tar/pax.js';
import { paxRecords } from '../../../../testkit/tar.js';

const ascii = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const WHERE = 'the x header at byte 0';

describe('parsePaxHeader', () => {
  const longPath = `${'./'.repeat(60)}blobs/sha256/${'a'.repeat(64)}`;

  it.each([
    ['a path', paxRecords({ path: longPath }), { path: longPath }],
    ['a size', paxRecords({ size: '8589934592' }), { size: 8589934592 }],
    ['a path and a size', paxRecords({ path: 'index.json', size: '42' }), { path: 'index.json', size: 42 }],
    [
      'a multi-byte UTF-8 path (lengths count bytes)',
      paxRecords({ path: 'blobs/\u00e9t\u00e9/\u{1f600}' }),
      { path: 'blobs/\u00e9t\u00e9/\u{1f600}' },
    ],
    ['a link target', paxRecords({ linkpath: `../${longPath}` }), { linkpath: `../${longPath}` }],
    ['a value holding "=" and spaces', paxRecords({ path: 'a b=c' }), { path: 'a b=c' }],
    ['other keys only', paxRecords({ mtime: '1700000000.5', uid: '0', 'SCHILY.xattr.user.x': 'y' }), {}],
    ['empty values (they unset a field)', paxRecords({ path: '', size: '' }), {}],
    ['no records', new Uint8Array(), {}],
    [
      'a record whose length gains a digit from counting itself',
      ascii('100 path=' + 'p'.repeat(90) + '\n'),
      { path: 'p'.repeat(90) },
    ],
  ])('reads %s', (_label, bytes, expected) => {
    expect(parsePaxHeader(bytes, WHERE)).toEqual(expected);
  });

  it.each([
    ['a length that is not a number', ascii('x path=a\n'), 'got length "x"'],
    ['a record without a length', ascii('path=a\n'), 'got length "path=a\\n"'],
    ['a length past the end of the header', ascii('99 path=a\n'), 'its length 99 does not end at a newline'],
    ['a length that ends off a newline', ascii('8 path=a\n'), 'its length 8 does not end at a newline'],
    ['a record without "="', ascii('9 pathab\n'), 'expected "<key>=<value>", got "pathab"'],
    [
      'a size that is not a byte count',
      paxRecords({ size: '12k' }),
      'invalid pax size record in the x header at byte 0: "12k"',
    ],
    ['a negative size', paxRecords({ size: '-1' }), '"-1" is not a byte count'],
  ])('rejects %s', (_label, bytes, reason) => {
    const attempt = (): unknown => parsePaxHeader(bytes, WHERE);
    expect(attempt).toThrow(TarFormatError);
    expect(attempt).toThrow(reason);
    expect(attempt).toThrow(WHERE);
  });
});

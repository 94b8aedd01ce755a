import { TarFormatError } from './tar-format-error.js';

/** Tar archives are made of 512-byte blocks: a header block, then the entry's content padded to a block. */
export const TAR_BLOCK = 512;

/** What one header block says. */
export interface TarHeader {
  /** The stored name: the ustar prefix and name fields joined with `/`, or the name field alone. */
  name: string;
  /** The typeflag: '0' (or NUL) regular file, '5' directory, 'x'/'g' pax headers, 'L' GNU long name… */
  type: string;
  /** The size field, in bytes. */
  size: number;
  /** The permission bits (and set-id bits) of the mode field. */
  mode: number;
  /** The link name field: what a symbolic or hard link ('2', '1') points to. */
  linkName: string;
}

const utf8 = new TextDecoder('utf-8');
const CHECKSUM = { start: 148, end: 156 };
// POSIX ustar magic and version; GNU tar writes "ustar  \0" and uses the prefix field for other things.
const USTAR_MAGIC = 'ustar\u000000';
const SHOWN_FIELD_LENGTH = 24;

/** True for an all-zero block: the end-of-archive marker. */
export function isEndBlock(block: Uint8Array): boolean {
  return block.every((byte) => byte === 0);
}

/** Decodes the header block found at byte `offset` of an archive, after checking its checksum. */
export function parseTarHeader(block: Uint8Array, offset: number): TarHeader {
  const where = `the header at byte ${offset}`;
  if (block[0] === 0x1f && block[1] === 0x8b) {
    throw new TarFormatError(
      `${where} starts gzip-compressed data: decompress the archive to a plain tar first`,
    );
  }
  const stored = parseTarNumber(block.subarray(CHECKSUM.start, CHECKSUM.end), `checksum field of ${where}`);
  const sums = checksums(block);
  if (stored !== sums.unsigned && stored !== sums.signed) {
    throw new TarFormatError(
      `${where} has checksum ${stored} but its bytes sum to ${sums.unsigned}: not a tar archive, or a damaged one`,
    );
  }
  const name = text(block.subarray(0, 100));
  const isUstar = Buffer.from(block.subarray(257, 265)).toString('latin1') === USTAR_MAGIC;
  const prefix = isUstar ? text(block.subarray(345, 500)) : '';
  return {
    name: prefix === '' ? name : `${prefix}/${name}`,
    type: String.fromCharCode(block[156] ?? 0),
    size: parseTarNumber(block.subarray(124, 136), `size field of ${where}`),
    mode: parseTarNumber(block.subarray(100, 108), `mode field of ${where}`) & 0o7777,
    linkName: text(block.subarray(157, 257)),
  };
}

/**
 * A numeric header field: octal ASCII digits padded with NULs or spaces, or, when the high bit of the first byte is
 * set, a big-endian base-256 number (how GNU tar and Go store sizes of 8 GiB and more).
 */
export function parseTarNumber(field: Uint8Array, what: string): number {
  const first = field[0] ?? 0;
  if ((first & 0x80) !== 0) return parseBase256(field, what);
  const digits = Buffer.from(field)
    .toString('latin1')
    .replace(/^[\0 ]+|[\0 ]+$/g, '');
  if (!/^[0-7]*$/.test(digits)) {
    throw new TarFormatError(`invalid ${what}: ${show(field)} is neither octal digits nor a base-256 number`);
  }
  // At most 12 octal digits: always a safe integer.
  return digits === '' ? 0 : parseInt(digits, 8);
}

function parseBase256(field: Uint8Array, what: string): number {
  const first = field[0] ?? 0;
  // The bit after the marker is the sign of a two's complement number: sizes are never negative.
  if ((first & 0x40) !== 0) throw new TarFormatError(`invalid ${what}: a negative base-256 number`);
  let value = BigInt(first & 0x7f);
  for (const byte of field.subarray(1)) value = (value << 8n) | BigInt(byte);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new TarFormatError(`invalid ${what}: ${value} is larger than ${Number.MAX_SAFE_INTEGER}`);
  }
  return Number(value);
}

/** The sums of the header bytes with the checksum field read as spaces; old tars summed signed bytes. */
function checksums(block: Uint8Array): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  block.forEach((byte, index) => {
    const value = index >= CHECKSUM.start && index < CHECKSUM.end ? 0x20 : byte;
    unsigned += value;
    signed += value > 0x7f ? value - 0x100 : value;
  });
  return { unsigned, signed };
}

/** A NUL-terminated string field. */
function text(field: Uint8Array): string {
  const end = field.indexOf(0);
  return utf8.decode(end === -1 ? field : field.subarray(0, end));
}

function show(field: Uint8Array): string {
  const shown = JSON.stringify(Buffer.from(field).toString('latin1'));
  return shown.length > SHOWN_FIELD_LENGTH ? `${shown.slice(0, SHOWN_FIELD_LENGTH)}…` : shown;
}

import type { FileHandle } from 'node:fs/promises';
import { entryName } from './archive-entries.js';
import { checkEntryCount, checkUnpackedSize } from './archive-limits.js';
import { readRange } from './file-range.js';
import { OciLayoutError } from './layout-errors.js';

/** Where a file's bytes lie in a zip archive, and how they are stored. */
export interface ZipEntry {
  /** Where the entry's local header starts; its data follows that header. */
  localHeader: number;
  /** 0: stored as is; 8: deflated. */
  method: 0 | 8;
  compressedSize: number;
  size: number;
}

const END_RECORD = { signature: 0x06054b50, size: 22 };
const ZIP64_LOCATOR = { signature: 0x07064b50, size: 20 };
const ZIP64_END_RECORD = 0x06064b50;
const CENTRAL_HEADER = { signature: 0x02014b50, size: 46 };
const ZIP64_EXTRA = 0x0001;
const MAX_COMMENT = 0xffff;
/** The central directory is read whole; a hundred thousand entries with long names stay below this. */
const MAX_DIRECTORY = 64 * 1024 * 1024;

/**
 * Reads the central directory of the zip at `handle` (APPNOTE 6.3: the end record, zip64 where a field overflows)
 * and maps each file's name, normalized as tar names are, to where it is. Refuses encryption, methods other than
 * stored and deflate, more than MAX_ARCHIVE_ENTRIES entries, and sizes that add up past the unpacked bound, all
 * before any content is read.
 */
export async function readZipDirectory(handle: FileHandle): Promise<Map<string, ZipEntry>> {
  const { size: archiveSize } = await handle.stat();
  const end = await findEndRecord(handle, archiveSize);
  checkEntryCount(end.count);
  if (end.directorySize > MAX_DIRECTORY || end.directoryOffset + end.directorySize > archiveSize) {
    throw new OciLayoutError(
      `the central directory (${end.directorySize} bytes at byte ${end.directoryOffset}) does not fit the archive`,
    );
  }
  const directory = Buffer.from(await readRange(handle, end.directoryOffset, end.directorySize));
  const entries = new Map<string, ZipEntry>();
  let unpacked = 0;
  let at = 0;
  for (let n = 0; n < end.count; n += 1) {
    if (
      at + CENTRAL_HEADER.size > directory.length ||
      directory.readUInt32LE(at) !== CENTRAL_HEADER.signature
    ) {
      throw new OciLayoutError(`entry ${n} of the central directory is not a central directory header`);
    }
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const name = directory.toString('utf8', at + CENTRAL_HEADER.size, at + CENTRAL_HEADER.size + nameLength);
    const extra = directory.subarray(
      at + CENTRAL_HEADER.size + nameLength,
      at + CENTRAL_HEADER.size + nameLength + extraLength,
    );
    const entry = centralEntry(directory.subarray(at, at + CENTRAL_HEADER.size), extra, name);
    at += CENTRAL_HEADER.size + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    unpacked += entry.size;
    checkUnpackedSize(unpacked, archiveSize);
    entries.set(entryName(name), entry);
  }
  return entries;
}

function centralEntry(header: Buffer, extra: Buffer, name: string): ZipEntry {
  const flags = header.readUInt16LE(8);
  const method = header.readUInt16LE(10);
  if ((flags & 0x1) !== 0) throw new OciLayoutError(`${JSON.stringify(name)} is encrypted`);
  if (method !== 0 && method !== 8) {
    throw new OciLayoutError(
      `${JSON.stringify(name)} is compressed with method ${method}; only stored and deflated entries are read`,
    );
  }
  // Fields that overflow 32 bits are 0xffffffff here and follow, in this order, in the zip64 extra field.
  const zip64 = zip64Fields(extra);
  const wide = (value: number): number => (value === 0xffffffff ? zip64.next(name) : value);
  const size = wide(header.readUInt32LE(24));
  const compressedSize = wide(header.readUInt32LE(20));
  const localHeader = wide(header.readUInt32LE(42));
  return { method: method === 8 ? 8 : 0, size, compressedSize, localHeader };
}

function zip64Fields(extra: Buffer): { next(name: string): number } {
  let field: Buffer | undefined;
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) === ZIP64_EXTRA)
      field = extra.subarray(at + 4, at + 4 + extra.readUInt16LE(at + 2));
  }
  let read = 0;
  return {
    next(name) {
      if (field === undefined || read + 8 > field.length) {
        throw new OciLayoutError(`${JSON.stringify(name)} lacks the zip64 field its sizes point to`);
      }
      const value = safeNumber(field.readBigUInt64LE(read), `a zip64 size of ${JSON.stringify(name)}`);
      read += 8;
      return value;
    },
  };
}

interface EndRecord {
  count: number;
  directorySize: number;
  directoryOffset: number;
}

async function findEndRecord(handle: FileHandle, archiveSize: number): Promise<EndRecord> {
  // The end record is the last thing in the archive, followed only by a comment of at most 65535 bytes.
  const tailStart = Math.max(0, archiveSize - END_RECORD.size - MAX_COMMENT);
  const tail = Buffer.from(await readRange(handle, tailStart, archiveSize - tailStart));
  let at = tail.length - END_RECORD.size;
  while (at >= 0 && tail.readUInt32LE(at) !== END_RECORD.signature) at -= 1;
  if (at < 0)
    throw new OciLayoutError('no end of central directory record: not a zip archive, or a truncated one');
  const record = {
    count: tail.readUInt16LE(at + 10),
    directorySize: tail.readUInt32LE(at + 12),
    directoryOffset: tail.readUInt32LE(at + 16),
  };
  if (
    record.count !== 0xffff &&
    record.directorySize !== 0xffffffff &&
    record.directoryOffset !== 0xffffffff
  ) {
    return record;
  }
  const locatorAt = tailStart + at - ZIP64_LOCATOR.size;
  const locator =
    locatorAt < 0 ? undefined : Buffer.from(await readRange(handle, locatorAt, ZIP64_LOCATOR.size));
  if (locator?.readUInt32LE(0) !== ZIP64_LOCATOR.signature) {
    throw new OciLayoutError('the end record points to a zip64 record that is not there');
  }
  const zip64At = safeNumber(locator.readBigUInt64LE(8), 'the zip64 end record offset');
  const zip64 = Buffer.from(await readRange(handle, zip64At, 56));
  if (zip64.readUInt32LE(0) !== ZIP64_END_RECORD) {
    throw new OciLayoutError(`no zip64 end record at byte ${zip64At}`);
  }
  return {
    count: safeNumber(zip64.readBigUInt64LE(32), 'the zip64 entry count'),
    directorySize: safeNumber(zip64.readBigUInt64LE(40), 'the zip64 directory size'),
    directoryOffset: safeNumber(zip64.readBigUInt64LE(48), 'the zip64 directory offset'),
  };
}

function safeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new OciLayoutError(`${what} is out of range: ${value}`);
  return Number(value);
}

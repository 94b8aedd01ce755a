import { formatSize } from '../common/format-size.js';
import { ArchiveLimitError } from './layout-errors.js';

/**
 * The most entries a layout archive may hold. A layout holds a few files per blob; ten thousand layers, the most a
 * registry takes in one image, stay far below it.
 */
export const MAX_ARCHIVE_ENTRIES = 100_000;

/**
 * How much a compressed layout may unpack to: 64 MiB, plus 32 bytes per compressed byte. Layers are compressed
 * already, so a real layout artifact unpacks to about its own size; a zip bomb unpacks to a thousand times it and
 * is stopped after writing little more than the allowance.
 */
const UNPACKED_ALLOWANCE = 64 * 1024 * 1024;
const UNPACKED_RATIO = 32;

export function unpackedLimit(compressedBytes: number): number {
  return UNPACKED_ALLOWANCE + UNPACKED_RATIO * compressedBytes;
}

/** Refuses an archive with more than MAX_ARCHIVE_ENTRIES entries (the caller names the archive). */
export function checkEntryCount(count: number): void {
  if (count > MAX_ARCHIVE_ENTRIES) {
    throw new ArchiveLimitError(`the archive holds more than ${MAX_ARCHIVE_ENTRIES} entries`);
  }
}

/** Refuses unpacking past `unpackedLimit(compressed)` (the caller names the archive). */
export function checkUnpackedSize(unpacked: number, compressed: number): void {
  const limit = unpackedLimit(compressed);
  if (unpacked > limit) {
    throw new ArchiveLimitError(
      `it unpacks to more than ${formatSize(limit)}: ${formatSize(UNPACKED_ALLOWANCE)} plus ` +
        `${UNPACKED_RATIO} times the ${formatSize(compressed)} of compressed bytes read`,
    );
  }
}

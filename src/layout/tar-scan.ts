import type { FileHandle } from 'node:fs/promises';
import { TarFormatError } from '../oci/tar/tar-format-error.js';
import { entryName } from './archive-entries.js';
import { checkEntryCount } from './archive-limits.js';
import { readRange } from './file-range.js';
import { type PaxOverrides, parsePaxHeader } from '../oci/tar/pax.js';
import { TAR_BLOCK, isEndBlock, parseTarHeader } from '../oci/tar/tar-header.js';

/** Where a regular file's content lies in the archive. */
export interface TarEntryLocation {
  offset: number;
  size: number;
}

/** Pax headers and GNU long names are metadata about one entry: they are read, never the entries' content. */
const METADATA_LIMIT = 1024 * 1024;
const REGULAR_FILE = new Set(['0', '\0', '7']);
// Links, devices, directories and FIFOs carry no content, whatever their size field says (as Go's archive/tar reads).
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

/**
 * Walks the headers of the tar at `handle` once, skipping over every entry's content, and maps each regular file's
 * name (`./` and leading `/` removed) to where its bytes are. A name given twice keeps its last entry, as extraction
 * would. More than MAX_ARCHIVE_ENTRIES headers is refused.
 */
export async function scanTar(handle: FileHandle): Promise<Map<string, TarEntryLocation>> {
  const { size: archiveSize } = await handle.stat();
  const entries = new Map<string, TarEntryLocation>();
  let next: PaxOverrides & { longName?: string } = {};
  let headers = 0;
  // An archive may end at a block boundary without its two zero blocks; Go's archive/tar accepts that too.
  for (let offset = 0; offset < archiveSize;) {
    if (offset + TAR_BLOCK > archiveSize) {
      throw new TarFormatError(
        `the archive ends ${archiveSize - offset} bytes into the header at byte ${offset}`,
      );
    }
    const block = await readRange(handle, offset, TAR_BLOCK);
    if (isEndBlock(block)) break;
    checkEntryCount((headers += 1));
    const header = parseTarHeader(block, offset);
    // Global pax headers ('g') and GNU long link names ('K') are skipped: Go's archive/tar, with which buildx and
    // skopeo write, does not carry global records over to later entries either.
    const isMetadata = ['x', 'g', 'L', 'K'].includes(header.type);
    const size = HEADER_ONLY.has(header.type) ? 0 : isMetadata ? header.size : (next.size ?? header.size);
    const start = offset + TAR_BLOCK;
    if (start + size > archiveSize) {
      throw new TarFormatError(
        `the archive is truncated: the entry ${JSON.stringify(header.name)} at byte ${offset} has ${size} bytes ` +
          `but only ${archiveSize - start} follow`,
      );
    }
    const where = `the ${header.type} header at byte ${offset}`;
    if (header.type === 'x') {
      next = { ...next, ...parsePaxHeader(await readMetadata(handle, start, size, where), where) };
    } else if (header.type === 'L') {
      next = { ...next, longName: cString(await readMetadata(handle, start, size, where)) };
    } else if (!isMetadata) {
      if (REGULAR_FILE.has(header.type)) {
        entries.set(entryName(next.path ?? next.longName ?? header.name), { offset: start, size });
      }
      next = {};
    }
    offset = start + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
  }
  return entries;
}

async function readMetadata(
  handle: FileHandle,
  start: number,
  size: number,
  where: string,
): Promise<Uint8Array> {
  if (size > METADATA_LIMIT) {
    throw new TarFormatError(`${where} is ${size} bytes, more than the ${METADATA_LIMIT} a header may take`);
  }
  return readRange(handle, start, size);
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString('utf8');
}

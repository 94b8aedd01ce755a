import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { OciLayoutError } from './layout-errors.js';

/** Reads exactly `length` bytes at `position`; fails when the file ends first (it changed under us). */
export async function readRange(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const bytes = Buffer.alloc(length);
  for (let filled = 0; filled < length;) {
    const { bytesRead } = await handle.read(bytes, filled, length - filled, position + filled);
    if (bytesRead === 0) {
      throw new OciLayoutError(
        `the file ends ${filled} bytes into the ${length} expected at byte ${position}; was it changed or truncated?`,
      );
    }
    filled += bytesRead;
  }
  return bytes;
}

/** The `length` bytes at `start` of the file at `path`, streamed from disk, never all in memory. */
export function rangeStream(path: string, start: number, length: number): NodeJS.ReadableStream {
  // createReadStream has no way to say "no bytes": its `end` is inclusive.
  if (length === 0) return Readable.from([]);
  return createReadStream(path, { start, end: start + length - 1 });
}

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { fromLayoutRoot } from './archive-entries.js';
import { rangeStream, readRange } from './file-range.js';
import { OciLayoutError } from './layout-errors.js';
import type { LayoutFile, LayoutFiles } from './layout-files.js';
import { type ZipEntry, readZipDirectory } from './zip-directory.js';

const LOCAL_HEADER = { signature: 0x04034b50, size: 30 };

/**
 * The files of a layout zip, indexed from its central directory and read in place: a deflated entry is inflated
 * as it is read, nothing is written to disk, and no entry yields more bytes than the directory says it has.
 */
export async function openZipFiles(path: string): Promise<LayoutFiles> {
  const handle = await open(path, 'r');
  try {
    const entries = fromLayoutRoot(await readZipDirectory(handle));
    return {
      find(name: string): LayoutFile | undefined {
        const entry = entries.get(name);
        if (entry === undefined) return undefined;
        const chunks = () => entryBytes(handle, path, name, entry);
        return {
          size: entry.size,
          read: async () => {
            const parts: Uint8Array[] = [];
            for await (const chunk of chunks()) parts.push(chunk);
            return Buffer.concat(parts);
          },
          stream: () => Readable.from(chunks(), { objectMode: false }),
        };
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The entry's bytes, inflated when deflated; fails when they are more or fewer than the directory says. */
async function* entryBytes(
  handle: FileHandle,
  path: string,
  name: string,
  entry: ZipEntry,
): AsyncGenerator<Uint8Array> {
  const stored = rangeStream(path, await dataStart(handle, name, entry), entry.compressedSize);
  const body: NodeJS.ReadableStream =
    entry.method === 8 ? pipeline(stored, createInflateRaw(), () => undefined) : stored;
  let seen = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    seen += chunk.length;
    if (seen > entry.size) break;
    yield chunk;
  }
  if (seen !== entry.size) {
    throw new OciLayoutError(
      `${JSON.stringify(name)} holds ${seen > entry.size ? 'more' : `only ${seen}`} bytes ` +
        `where the central directory says ${entry.size}`,
    );
  }
}

async function dataStart(handle: FileHandle, name: string, entry: ZipEntry): Promise<number> {
  const header = Buffer.from(await readRange(handle, entry.localHeader, LOCAL_HEADER.size));
  if (header.readUInt32LE(0) !== LOCAL_HEADER.signature) {
    throw new OciLayoutError(`no local header at byte ${entry.localHeader} for ${JSON.stringify(name)}`);
  }
  return entry.localHeader + LOCAL_HEADER.size + header.readUInt16LE(26) + header.readUInt16LE(28);
}

import { type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { directoryFiles } from './directory-files.js';
import { TarFormatError } from '../oci/tar/tar-format-error.js';
import { ArchiveLimitError, OciLayoutError } from './layout-errors.js';
import type { LayoutFiles } from './layout-files.js';

/**
 * The files at `path`: a layout directory, or, when `path` is a file, a layout zip (told by its first bytes) or
 * tar; `name` is used in messages.
 */
export async function openLayoutFiles(path: string, name: string): Promise<LayoutFiles> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    throw new OciLayoutError(`failed to open ${name}: ${(error as Error).message}`, { cause: error });
  }
  if (stats.isDirectory()) return directoryFiles(path);
  if (!stats.isFile()) {
    throw new OciLayoutError(
      `failed to open ${name}: "${path}" is neither a directory nor a file; expected a layout directory or tar`,
    );
  }
  let zip = false;
  try {
    zip = await isZip(path);
    // Archive reading is loaded only when a layout is an archive.
    if (zip) return await (await import('./zip-files.js')).openZipFiles(path);
    return await (await import('./tar-files.js')).openTarFiles(path);
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof ArchiveLimitError) {
      throw new ArchiveLimitError(`failed to open ${name}: ${message}`, { cause: error });
    }
    // What the zip reader refuses is a zip it cannot read, as a TarFormatError is a tar it cannot read.
    if (error instanceof TarFormatError || (zip && error instanceof OciLayoutError)) {
      const kind = zip ? 'zip' : 'tar';
      throw new OciLayoutError(
        `${name} is not an OCI image layout: not a readable ${kind} archive: ${message}`,
        {
          cause: error,
        },
      );
    }
    throw new OciLayoutError(`failed to open ${name}: ${message}`, { cause: error });
  }
}

/** A zip starts with a local header, or, empty, with its end record. */
async function isZip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    const magic = bytesRead === 4 ? buffer.readUInt32LE(0) : 0;
    return magic === 0x04034b50 || magic === 0x06054b50;
  } finally {
    await handle.close();
  }
}

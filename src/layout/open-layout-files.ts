import { type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { directoryFiles } from './directory-files.js';
import { TarFormatError } from '../oci/tar/tar-format-error.js';
import { OciLayoutError } from './layout-errors.js';
import type { LayoutFiles } from './layout-files.js';

/** The files at `path`: a layout directory, or a layout tar when `path` is a file; `name` is used in messages. */
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
  try {
    // Tar reading is loaded only when a layout is a tar.
    const { openTarFiles } = await import('./tar-files.js');
    return await openTarFiles(path);
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof TarFormatError) {
      throw new OciLayoutError(`${name} is not an OCI image layout: not a readable tar archive: ${message}`, {
        cause: error,
      });
    }
    throw new OciLayoutError(`failed to open ${name}: ${message}`, { cause: error });
  }
}

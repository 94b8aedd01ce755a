import { open } from 'node:fs/promises';
import { rangeStream, readRange } from './file-range.js';
import type { LayoutFile, LayoutFiles } from './layout-files.js';
import { scanTar } from './tar-scan.js';
import { fromLayoutRoot } from './archive-entries.js';

/** The files of a layout tar, indexed by one pass over its headers and read in place, never extracted. */
export async function openTarFiles(path: string): Promise<LayoutFiles> {
  const handle = await open(path, 'r');
  try {
    const entries = fromLayoutRoot(await scanTar(handle));
    return {
      find(name: string): LayoutFile | undefined {
        const entry = entries.get(name);
        if (entry === undefined) return undefined;
        const { offset, size } = entry;
        return {
          size,
          read: () => readRange(handle, offset, size),
          stream: () => rangeStream(path, offset, size),
        };
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

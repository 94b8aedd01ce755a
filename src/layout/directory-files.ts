import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { rangeStream, readRange } from './file-range.js';
import type { LayoutFile, LayoutFiles } from './layout-files.js';

/** The files of a layout directory, read in place. */
export function directoryFiles(root: string): LayoutFiles {
  return {
    find(name: string): LayoutFile | undefined {
      const path = join(root, ...name.split('/'));
      // Synchronous so that OciLayout.openBlob can refuse a missing blob before handing out a stream.
      const stats = statSync(path, { throwIfNoEntry: false });
      if (stats === undefined || !stats.isFile()) return undefined;
      const { size } = stats;
      return {
        size,
        read: async () => {
          const handle = await open(path, 'r');
          try {
            return await readRange(handle, 0, size);
          } finally {
            await handle.close();
          }
        },
        stream: () => rangeStream(path, 0, size),
      };
    },
    close: async () => {},
  };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipArchive } from '../layout/gunzip-archive.js';
import { ArchiveLimitError, OciLayoutError } from '../layout/layout-errors.js';
import type { SourceSpec } from '../publish/request.js';

/** A gzip-compressed layout tar, by the end of its name; a .zip is read in place, as a plain tar is. */
const GZIPPED_TAR = /\.(?:tar\.gz|tgz)$/i;

/** The sources with every compressed layout unpacked, and how to remove what was unpacked. */
export interface ExtractedLayouts {
  sources: SourceSpec[];
  cleanup(): Promise<void>;
}

/**
 * Decompresses each `oci-layout:` artifact ending in .tar.gz or .tgz, in this process, into a plain tar in a folder
 * of the runner's temp folder (RUNNER_TEMP, else the system's), and points the source at it; the same artifact
 * named twice is decompressed once. Directories, tars and zips are read in place.
 */
export async function extractLayouts(
  sources: SourceSpec[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExtractedLayouts> {
  const archives = [
    ...new Set(sources.flatMap((s) => (s.kind === 'layout' && GZIPPED_TAR.test(s.path) ? [s.path] : []))),
  ];
  if (archives.length === 0) return { sources, cleanup: async () => undefined };
  const root = await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'multiarch-publish-layouts-'));
  const cleanup = () => rm(root, { recursive: true, force: true });
  try {
    const extracted = new Map<string, string>();
    for (const [n, archive] of archives.entries()) {
      const dest = join(root, `${n}.tar`);
      try {
        await gunzipArchive(archive, dest);
      } catch (error) {
        const message = `failed to decompress the layout archive ${archive}: ${(error as Error).message}`;
        throw error instanceof ArchiveLimitError
          ? new ArchiveLimitError(message, { cause: error })
          : new OciLayoutError(message, { cause: error });
      }
      extracted.set(archive, dest);
    }
    return {
      sources: sources.map((s) => {
        const path = s.kind === 'layout' ? extracted.get(s.path) : undefined;
        return s.kind === 'layout' && path !== undefined ? { ...s, path, archive: s.path } : s;
      }),
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

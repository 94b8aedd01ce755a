import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciLayoutError } from '../layout/layout-errors.js';
import type { SourceSpec } from '../publish/request.js';

/** How a compressed layout artifact is unpacked, by the end of its name. */
const ARCHIVES: ReadonlyArray<{ suffix: RegExp; kind: 'tar.gz' | 'zip' }> = [
  { suffix: /\.(?:tar\.gz|tgz)$/i, kind: 'tar.gz' },
  { suffix: /\.zip$/i, kind: 'zip' },
];

/** The sources with every compressed layout unpacked, and how to remove what was unpacked. */
export interface ExtractedLayouts {
  sources: SourceSpec[];
  cleanup(): Promise<void>;
}

/**
 * Unpacks each `oci-layout:` artifact ending in .tar.gz, .tgz or .zip into a folder of the runner's temp folder
 * (RUNNER_TEMP, else the system's) with @actions/tool-cache, and points the source at it; the same artifact
 * named twice is unpacked once. Plain tars and directories are read in place.
 */
export async function extractLayouts(
  sources: SourceSpec[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExtractedLayouts> {
  const archives = [
    ...new Set(sources.flatMap((s) => (s.kind === 'layout' && archiveKind(s.path) ? [s.path] : []))),
  ];
  if (archives.length === 0) return { sources, cleanup: async () => undefined };
  const root = await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'multiarch-publish-layouts-'));
  const cleanup = () => rm(root, { recursive: true, force: true });
  try {
    // tool-cache is loaded only when an archive is given.
    const toolCache = await import('@actions/tool-cache');
    const extracted = new Map<string, string>();
    for (const [n, archive] of archives.entries()) {
      const dest = join(root, String(n));
      try {
        await (archiveKind(archive) === 'zip'
          ? toolCache.extractZip(archive, dest)
          : toolCache.extractTar(archive, dest, 'xz'));
      } catch (error) {
        throw new OciLayoutError(
          `failed to extract the layout archive ${archive}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      extracted.set(archive, layoutFolder(dest));
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

/** The kind of compressed artifact `path` names, or undefined for a folder or a plain tar. */
export function archiveKind(path: string): 'tar.gz' | 'zip' | undefined {
  return ARCHIVES.find(({ suffix }) => suffix.test(path))?.kind;
}

/**
 * Where the layout is in what an archive held: its root, or the one folder it holds when the archive was made of
 * the layout's folder (`zip -r layout.zip layout`).
 */
function layoutFolder(dest: string): string {
  if (existsSync(join(dest, 'index.json'))) return dest;
  const entries = readdirSync(dest, { withFileTypes: true });
  const [only] = entries;
  if (entries.length === 1 && only?.isDirectory() && existsSync(join(dest, only.name, 'index.json'))) {
    return join(dest, only.name);
  }
  return dest;
}

import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { SourceSpec } from '../publish/request.js';
import { readDigestFileName } from './inputs/digest-names.js';
import { entryError } from './inputs/list.js';

/** The prefix of a `sources` entry that names a folder of digest files. */
export const DIGESTS_PREFIX = 'digests:';

/** A `digests:DIR` entry read: one bare-digest source per digest file, and what was passed over. */
export interface DigestDirSources {
  sources: SourceSpec[];
  notices: string[];
}

const INPUT = 'sources';
const RECIPE =
  'Docker\'s matrix recipe writes one empty file per build, named by its digest (touch "DIR/${digest#sha256:}"), ' +
  'and download-artifact merges them into DIR';

/**
 * Reads `digests:DIR`: each file named `<hex>`, `sha256:<hex>` or `sha256-<hex>` is a bare digest looked up in the
 * targets' repositories, in name order (the order download-artifact gives is not stable). Hidden files are skipped,
 * other files and folders are skipped with a notice; a name that looks like a broken digest, or no digest at all,
 * is an error.
 */
export function readDigestDir(entry: string): DigestDirSources {
  const dir = entry.slice(DIGESTS_PREFIX.length).trim();
  if (dir === '') throw entryError(INPUT, entry, `digests: needs a folder after it; ${RECIPE}`);
  let files: Dirent[];
  try {
    files = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw entryError(INPUT, entry, `cannot read the folder: ${(error as Error).message}`, error);
  }
  const sources: SourceSpec[] = [];
  const passed: string[] = [];
  for (const file of files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const name = readDigestFileName(file.name);
    if (name.kind === 'hidden') continue;
    if (name.kind === 'broken') {
      throw entryError(INPUT, entry, `"${join(dir, file.name)}" is not a digest: ${name.why}`);
    }
    if (name.kind === 'other' || !file.isFile()) {
      passed.push(file.name);
      continue;
    }
    if (!sources.some((source) => source.kind === 'digest' && source.digest === name.digest)) {
      sources.push({ kind: 'digest', digest: name.digest, text: `${entry} → ${name.digest}` });
    }
  }
  if (sources.length === 0) {
    throw entryError(INPUT, entry, `no file named by a digest in "${dir}"; ${RECIPE}`);
  }
  const notices =
    passed.length === 0
      ? []
      : [
          `sources: "${entry}": skipped ${passed.length} entries not named by a digest (${passed.join(', ')})`,
        ];
  return { sources, notices };
}

// Writes dist/licenses.txt: the licence of every package bundled into dist/, whichever chunk holds it. ncc's
// --license misses most of them: it writes one chunk's list as the whole build's, and even per chunk its plugin
// skips the ES modules webpack concatenates (every @octokit/* package among them). The source maps name every
// file bundled, so they say which packages are in dist/; each one's licence is read from its own folder.
//
//   node scripts/licenses.mjs [DIST]          (npm run bundle runs it after ncc; DIST defaults to dist)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const LICENCE_FILE = /^(licen[cs]e|copying)(\.(md|txt|markdown))?$/i;
const PACKAGE_DIR = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//;

/** The folders of the packages the source maps in `dist` name files of, each once, sorted. */
export function bundledPackageDirs(dist) {
  const dirs = new Set();
  for (const map of readdirSync(dist).filter((name) => name.endsWith('.js.map'))) {
    const { sources } = JSON.parse(readFileSync(join(dist, map), 'utf8'));
    for (const source of sources) {
      const dir = PACKAGE_DIR.exec(resolve(dist, source))?.[1];
      if (dir !== undefined) dirs.add(dir);
    }
  }
  return [...dirs].sort();
}

/** One entry as ncc writes them: the name, the licence's SPDX expression, the licence text. */
function entry(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((name) => LICENCE_FILE.test(name));
  if (file === undefined || typeof manifest.license !== 'string') {
    throw new Error(`${dir} has no licence file or no license field: look at it before it is bundled`);
  }
  const text = readFileSync(join(dir, file), 'utf8').trim();
  return { name: manifest.name, text: `${manifest.name}\n${manifest.license}\n${text}` };
}

/** Writes `dist`/licenses.txt, sorted by name; two bundled versions of a package are listed once if their licence is. */
export function writeLicenses(dist) {
  const entries = bundledPackageDirs(dist).map(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const texts = [...new Set(entries.map((e) => e.text))];
  writeFileSync(join(dist, 'licenses.txt'), `${texts.join('\n\n')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeLicenses(resolve(process.argv[2] ?? 'dist'));
}

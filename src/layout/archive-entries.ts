import { posix } from 'node:path';

/** `./blobs/sha256/…`, `/blobs/sha256/…` and `blobs//sha256/…` all name `blobs/sha256/…`. */
export function entryName(stored: string): string {
  return posix.normalize(stored).replace(/^(?:\.\/|\/)+/, '');
}

/**
 * The entries as seen from the layout's root: the archive's root, or the one folder it holds when the archive was
 * made of the layout's folder (`zip -r layout.zip layout`, `tar -cf layout.tar layout`).
 */
export function fromLayoutRoot<T>(entries: Map<string, T>): Map<string, T> {
  if (entries.has('index.json')) return entries;
  const folders = new Set([...entries.keys()].map((name) => name.split('/', 1)[0]));
  const [only] = folders;
  if (folders.size !== 1 || only === undefined || !entries.has(`${only}/index.json`)) return entries;
  const prefix = `${only}/`;
  return new Map([...entries].map(([name, entry]) => [name.slice(prefix.length), entry]));
}

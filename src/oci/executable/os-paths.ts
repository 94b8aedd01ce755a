import type { TarStreamEntry } from '../tar/tar-stream.js';

/** How one operating system's images name files, find programs and mark them executable. */
export interface OsPaths {
  /** Where a layer entry is in the container's file system, or undefined when it is not in it. */
  treePath(entry: TarStreamEntry): string | undefined;
  /** A file a container could run, as far as its entry tells. */
  isExecutable(path: string, mode: number): boolean;
  /** A program named by the config, as a path in the tree (absolute or relative), or undefined for a bare name. */
  programPath(name: string): string | undefined;
  /** The file names a bare program name is looked up as on each directory of the search path. */
  fileNames(name: string): string[];
  /** The search path's directories. */
  searchPath(path: string | undefined): string[];
}

/** The PATH the runtimes set when an image's config does not. */
const DEFAULT_LINUX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEFAULT_WINDOWS_PATH = 'C:\\Windows\\system32;C:\\Windows';

const LINUX: OsPaths = {
  treePath: (entry) => entry.path,
  isExecutable: (_path, mode) => (mode & 0o111) !== 0,
  programPath: (name) => (name.includes('/') ? name : undefined),
  fileNames: (name) => [name],
  searchPath: (path) => (path ?? DEFAULT_LINUX_PATH).split(':').filter((dir) => dir.startsWith('/')),
};

/** `C:\Windows\System32` → `/windows/system32`: Windows layers keep the volume under `Files/`, case-insensitive. */
function windowsPath(name: string): string {
  return `/${name
    .replace(/^[a-z]:/i, '')
    .replaceAll('\\', '/')
    .replace(/^\/+/, '')}`.toLowerCase();
}

const WINDOWS: OsPaths = {
  treePath: (entry) =>
    /^\/files(\/|$)/i.test(entry.path) ? windowsPath(entry.path.slice('/Files'.length)) : undefined,
  isExecutable: (path) => path.endsWith('.exe'),
  programPath: (name) =>
    /[\\/:]/.test(name) ? windowsPath(/\.[a-z0-9]+$/i.test(name) ? name : `${name}.exe`) : undefined,
  fileNames: (name) => (/\.[a-z0-9]+$/i.test(name) ? [name.toLowerCase()] : [`${name.toLowerCase()}.exe`]),
  searchPath: (path) =>
    (path ?? DEFAULT_WINDOWS_PATH)
      .split(';')
      .filter((dir) => dir !== '')
      .map(windowsPath),
};

export function osPaths(os: string): OsPaths {
  return os === 'windows' ? WINDOWS : LINUX;
}

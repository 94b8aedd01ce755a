// Debian's static busybox builds, one per architecture: real programs for the binary proof's tests. They are
// fetched by scripts/fetch-busybox.sh (which .ci/run calls) into a cache outside the repository, never committed.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SeededPlatform } from './images.js';
import { dir, file, symlink, type LayerSpec } from './layered-image.js';
import type { TarEntry } from './tar.js';

/** Debian's architecture names, and the platform each one's busybox is for. */
export const BUSYBOX_PLATFORMS = {
  amd64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64' },
  armhf: { os: 'linux', architecture: 'arm', variant: 'v7' },
  armel: { os: 'linux', architecture: 'arm', variant: 'v5' },
  i386: { os: 'linux', architecture: '386' },
  ppc64el: { os: 'linux', architecture: 'ppc64le' },
  s390x: { os: 'linux', architecture: 's390x' },
  riscv64: { os: 'linux', architecture: 'riscv64' },
} as const satisfies Record<string, SeededPlatform>;

export type DebianArch = keyof typeof BUSYBOX_PLATFORMS;

export const BUSYBOX_CACHE = join(
  process.env.MULTIARCH_PUBLISH_CACHE ?? join(homedir(), '.cache', 'multiarch-publish'),
  'busybox',
);

/** The static busybox for `arch`; throws, saying how to get it, when it has not been fetched. */
export function busybox(arch: DebianArch): Uint8Array {
  const path = join(BUSYBOX_CACHE, arch, 'busybox');
  if (!existsSync(path)) {
    throw new Error(
      `Debian's static busybox for ${arch} is missing (${path}): run "bash scripts/fetch-busybox.sh" once ` +
        '(.ci/run does), it fetches busybox-static for every architecture the tests use',
    );
  }
  return readFileSync(path);
}

/** Applets linked to busybox in the test images. */
const APPLETS = ['sh', 'ls', 'cat', 'env', 'echo', 'uname'];

/**
 * A layer holding a busybox userland as Debian's busybox-static lays it out: the binary at /bin/busybox, its applets
 * as symlinks to it, /usr/bin a symlink to /bin (usr-merge the other way round, to cross a link); `extra` entries
 * follow.
 */
export function busyboxUserland(arch: DebianArch, extra: TarEntry[] = []): LayerSpec {
  return {
    entries: [
      dir('bin'),
      file('bin/busybox', busybox(arch)),
      ...APPLETS.map((name) => symlink(`bin/${name}`, 'busybox')),
      dir('usr'),
      symlink('usr/bin', '../bin'),
      ...extra,
    ],
  };
}

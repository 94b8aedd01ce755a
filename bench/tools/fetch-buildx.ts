import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { capture } from './tool.js';

/** Where fetched tools live between runs. */
export const CACHE_DIR = join(homedir(), '.cache', 'multiarch-publish', 'bench');
const APT_DIR = join(CACHE_DIR, 'apt');
const UNPACKED_DIR = join(CACHE_DIR, 'docker-buildx');
export const BUILDX_PLUGIN_DIR = join(UNPACKED_DIR, 'usr', 'libexec', 'docker', 'cli-plugins');

const MIRROR = 'http://deb.debian.org/debian';
const SUITE = 'trixie';
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** apt options that keep every list, cache and source of ours in APT_DIR: the system's apt is never touched. */
function privateApt(): string[] {
  const option = (name: string, value: string): string[] => ['-o', `${name}=${value}`];
  return [
    ...option('Dir::State', join(APT_DIR, 'state')),
    ...option('Dir::State::status', join(APT_DIR, 'state', 'status')),
    ...option('Dir::Cache', join(APT_DIR, 'cache')),
    ...option('Dir::Etc::SourceList', join(APT_DIR, 'sources.list')),
    ...option('Dir::Etc::SourceParts', join(APT_DIR, 'sources.list.d')),
    ...option('Dir::Etc::Preferences', join(APT_DIR, 'preferences')),
    ...option('Dir::Etc::PreferencesParts', join(APT_DIR, 'preferences.d')),
    ...option('Debug::NoLocking', '1'),
    // The folders belong to the user running the bench, not to apt's sandbox user.
    ...option('APT::Sandbox::User', process.env.USER ?? 'root'),
  ];
}

/**
 * Debian trixie's docker-buildx, as a docker CLI plugin folder: `apt-get download` through a private apt
 * configuration (this machine's Debian mirror, suite trixie), unpacked with `dpkg-deb -x`. Cached after the first
 * run. Throws with the failing command's message.
 */
export async function fetchBuildx(): Promise<string> {
  if (existsSync(join(BUILDX_PLUGIN_DIR, 'docker-buildx'))) return BUILDX_PLUGIN_DIR;
  for (const dir of [
    'state/lists/partial',
    'cache/archives/partial',
    'sources.list.d',
    'preferences.d',
    'debs',
  ]) {
    await mkdir(join(APT_DIR, dir), { recursive: true });
  }
  await writeFile(join(APT_DIR, 'state', 'status'), '');
  await writeFile(join(APT_DIR, 'sources.list'), `deb [signed-by=${KEYRING}] ${MIRROR} ${SUITE} main\n`);
  const debs = join(APT_DIR, 'debs');
  await must(capture('apt-get', [...privateApt(), 'update'], process.env, 300_000));
  await must(
    capture('sh', [
      '-c',
      `cd "$1" && shift && apt-get "$@" download docker-buildx`,
      'sh',
      debs,
      ...privateApt(),
    ]),
  );
  const deb = (await readdir(debs)).find(
    (name) => name.startsWith('docker-buildx_') && name.endsWith('.deb'),
  );
  if (deb === undefined) throw new Error(`apt-get download docker-buildx left no .deb in ${debs}`);
  await rm(UNPACKED_DIR, { recursive: true, force: true });
  await must(capture('dpkg-deb', ['-x', join(debs, deb), UNPACKED_DIR]));
  return BUILDX_PLUGIN_DIR;
}

async function must(result: ReturnType<typeof capture>): Promise<void> {
  const settled = await result;
  if (!settled.ok) throw new Error(settled.reason);
}

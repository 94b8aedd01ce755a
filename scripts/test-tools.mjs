// The programs the integration tests start, and the Debian/Ubuntu package each comes from. Jest runs this before
// the first integration test (jest.config.js `globalSetup`), so a missing tool ends the run with one line that
// says what to install, not with a failure per test; `.ci/run` asks it which packages to install.
//
//   node scripts/test-tools.mjs --missing-packages   prints the packages to install, one line, space-separated
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Program → package. qemu: the foreign architectures the tests run (testkit/elf.ts); unzip: what @actions/tool-cache
 * unpacks .zip layouts with (runners have it, a fresh Debian does not); zip: the tests build .zip layouts.
 */
export const TOOLS = {
  'docker-registry': 'docker-registry',
  htpasswd: 'apache2-utils',
  skopeo: 'skopeo',
  openssl: 'openssl',
  'qemu-aarch64-static': 'qemu-user-static',
  'qemu-arm-static': 'qemu-user-static',
  zip: 'zip',
  unzip: 'unzip',
  tar: 'tar',
};

function onPath(program, path = process.env.PATH ?? '') {
  return path
    .split(delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => {
      try {
        accessSync(join(dir, program), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** The programs not on PATH, and the packages (each once) that bring them. */
export function missingTools(path) {
  const programs = Object.keys(TOOLS).filter((program) => !onPath(program, path));
  return { programs, packages: [...new Set(programs.map((program) => TOOLS[program]))] };
}

/**
 * The architectures whose static busybox (the binary proof's test programs) scripts/fetch-busybox.sh has not
 * fetched yet: the list is that script's, the cache the one testkit/busybox.ts reads.
 */
export function missingBusybox(env = process.env) {
  const script = readFileSync(new URL('fetch-busybox.sh', import.meta.url), 'utf8');
  const arches = /^ARCHES=\(([^)]*)\)/m.exec(script)?.[1].trim().split(/\s+/) ?? [];
  const cache = join(
    env.MULTIARCH_PUBLISH_CACHE ?? join(homedir(), '.cache', 'multiarch-publish'),
    'busybox',
  );
  return arches.filter((arch) => !onPath('busybox', join(cache, arch)));
}

/** The one line a run without them prints. */
export function missingLine({ programs, packages }, busybox = []) {
  const parts = [];
  if (programs.length > 0) {
    parts.push(
      `${programs.join(', ')}, not found on PATH: sudo apt-get install ${packages.join(' ')} (Debian/Ubuntu)`,
    );
  }
  if (busybox.length > 0) parts.push(`busybox for ${busybox.join(', ')}: bash scripts/fetch-busybox.sh`);
  return `The integration tests need ${parts.join('; and ')}. Or run bash .ci/run, which brings them all.`;
}

// Jest's globalSetup: stop before any test when a tool is missing.
export default function checkTestTools() {
  const missing = missingTools();
  const busybox = missingBusybox();
  if (missing.programs.length === 0 && busybox.length === 0) return;
  process.stderr.write(`\n${missingLine(missing, busybox)}\n`);
  process.exit(1);
}

if (
  import.meta.url === pathToFileURL(process.argv[1] ?? '').href &&
  process.argv[2] === '--missing-packages'
) {
  console.log(missingTools().packages.join(' '));
}

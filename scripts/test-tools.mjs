// The programs the integration tests start, and the Debian/Ubuntu package each comes from. Jest runs this before
// the first integration test (jest.config.js `globalSetup`), so a missing tool ends the run with one line that
// says what to install, not with a failure per test; `.ci/run` asks it which packages to install.
//
//   node scripts/test-tools.mjs --missing-packages   prints the packages to install, one line, space-separated
import { accessSync, constants } from 'node:fs';
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

/** The one line a run without them prints. */
export function missingLine({ programs, packages }) {
  return (
    `The integration tests need ${programs.join(', ')}, not found on PATH: ` +
    `sudo apt-get install ${packages.join(' ')} (Debian/Ubuntu), or run bash .ci/run, which installs them.`
  );
}

// Jest's globalSetup: stop before any test when a tool is missing.
export default function checkTestTools() {
  const missing = missingTools();
  if (missing.programs.length === 0) return;
  process.stderr.write(`\n${missingLine(missing)}\n`);
  process.exit(1);
}

if (
  import.meta.url === pathToFileURL(process.argv[1] ?? '').href &&
  process.argv[2] === '--missing-packages'
) {
  console.log(missingTools().packages.join(' '));
}

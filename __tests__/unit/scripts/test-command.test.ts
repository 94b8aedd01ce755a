import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<
  string,
  string
>;
const FILE = '__tests__/integration/harness/htpasswd.test.ts';

/** The jest arguments an npm script passes, after `node scripts/node24.mjs node`, with `extra` appended as npm does. */
function jestArgs(script: string, extra: string[]): string[] {
  const words = scripts[script]!.split(' ');
  return [...words.slice(words.indexOf('node', 2) + 1), ...extra];
}

/** The test files a `--listTests` run names (jest also prints which project it runs). */
function listed(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('/'));
}

/** Runs an npm script's jest; with `path`, on that PATH and with an empty cache (no busybox fetched). */
function jest(script: string, extra: string[], path?: string) {
  return spawnSync(process.execPath, jestArgs(script, extra), {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...(path !== undefined && { PATH: path, MULTIARCH_PUBLISH_CACHE: path }) },
  });
}

/** Runs `body` with a folder to use as PATH that holds only node. */
function withOnlyNode<T>(body: (bin: string) => T): T {
  const bin = mkdtempSync(join(tmpdir(), 'test-tools-'));
  try {
    symlinkSync(process.execPath, join(bin, 'node'));
    return body(bin);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

describe('npm run test:integration -- FILE', () => {
  it('runs FILE only', () => {
    const run = jest('test:integration', ['--listTests', FILE]);
    expect(run.status).toBe(0);
    expect(listed(run.stdout)).toEqual([join(ROOT, FILE)]);
  });

  it('runs every integration test without FILE', () => {
    const files = listed(jest('test:integration', ['--listTests']).stdout);
    expect(files).toContain(join(ROOT, FILE));
    expect(files.length).toBeGreaterThan(10);
    expect(files.every((path) => path.includes('/__tests__/integration/'))).toBe(true);
  });
});

describe('the test command without the tools the integration tests start', () => {
  it('stops before any test with one line saying what is missing and how to install it', () => {
    // A PATH holding only node: everything the tests start is missing.
    withOnlyNode((bin) => {
      const run = jest('test:integration', [FILE], bin);
      expect(run.status).toBe(1);
      const said = run.stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('Running'));
      expect(said).toEqual([
        'The integration tests need docker-registry, htpasswd, skopeo, openssl, qemu-aarch64-static, ' +
          'qemu-arm-static, zip, unzip, tar, not found on PATH: sudo apt-get install docker-registry apache2-utils ' +
          'skopeo openssl qemu-user-static zip unzip tar (Debian/Ubuntu); and busybox for amd64, arm64, armhf, ' +
          'armel, i386, ppc64el, s390x, riscv64: bash scripts/fetch-busybox.sh. Or run bash .ci/run, which ' +
          'brings them all.',
      ]);
      expect(run.stdout).not.toMatch(/PASS|FAIL/);
    });
  });

  it('is not asked for by the unit tests alone', () => {
    withOnlyNode((bin) => {
      const run = jest('test:unit', ['__tests__/unit/common/redact.test.ts'], bin);
      expect(run.stderr).not.toMatch(/integration tests need/);
      expect(run.stderr).toMatch(/Tests: +\d+ passed/);
      expect(run.status).toBe(0);
    });
  });
});

describe('the prerequisites the docs list', () => {
  it('name every package the integration tests need', () => {
    withOnlyNode((bin) => {
      const all = spawnSync(process.execPath, ['scripts/test-tools.mjs', '--missing-packages'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, PATH: bin },
      })
        .stdout.trim()
        .split(' ');
      expect(all).toContain('docker-registry');
      for (const doc of ['README.md', 'CONTRIBUTING.md']) {
        const install = readFileSync(join(ROOT, doc), 'utf8').match(/^sudo apt-get install (.+)$/m)?.[1];
        expect({ doc, missing: all.filter((name) => !install?.split(' ').includes(name)) }).toEqual({
          doc,
          missing: [],
        });
      }
    });
  });
});

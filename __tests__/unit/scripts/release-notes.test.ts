import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const CHANGELOG = `# Changelog

## [Unreleased]

- Not yet.

## [1.2.0] - 2027-01-05

### Added

- Input \`foo\`.

## [1.1.0] - 2026-12-20

- Faster.

## [1.0.1]

[1.2.0]: https://example.test/compare/v1.1.0...v1.2.0
`;

/** Runs the release workflow's command on a CHANGELOG holding `text`. */
function notes(version: string, text = CHANGELOG) {
  const dir = mkdtempSync(join(tmpdir(), 'release-notes-'));
  try {
    writeFileSync(join(dir, 'CHANGELOG.md'), text);
    return spawnSync(process.execPath, ['scripts/release-notes.mjs', version, join(dir, 'CHANGELOG.md')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the release notes of a tag', () => {
  it("are the version's CHANGELOG section, without its heading or the next section", () => {
    const run = notes('v1.2.0');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('### Added\n\n- Input `foo`.\n');
  });

  it('leave out the link definitions that end the file', () => {
    expect(notes('v1.1.0').stdout).toBe('- Faster.\n');
  });

  it.each([
    ['a version with no section', 'v2.0.0'],
    ['a section with no notes', 'v1.0.1'],
  ])('refuse %s, in one line saying what to add', (_name, version) => {
    const run = notes(version);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`has no "## [${version.slice(1)}]" section with notes`);
    expect(run.stdout).toBe('');
  });

  it('refuse a tag that is not a semantic version', () => {
    expect(notes('latest').status).toBe(1);
  });
});

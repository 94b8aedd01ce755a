import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type * as Core from '@actions/core';

// The one module mock of the suite (style-anchors.md): run() talks to the runner only through @actions/core.
const inputs = new Map<string, string>();
const summary = {
  addRaw: jest.fn(() => summary),
  write: jest.fn(() => Promise.resolve(summary)),
};
const core = {
  getInput: jest.fn<typeof Core.getInput>((name) => inputs.get(name) ?? ''),
  setOutput: jest.fn<typeof Core.setOutput>(),
  setSecret: jest.fn<typeof Core.setSecret>(),
  setFailed: jest.fn<typeof Core.setFailed>(),
  debug: jest.fn<typeof Core.debug>(),
  info: jest.fn<typeof Core.info>(),
  notice: jest.fn<typeof Core.notice>(),
  warning: jest.fn<typeof Core.warning>(),
  error: jest.fn<typeof Core.error>(),
  group: jest.fn(<T>(_name: string, work: () => Promise<T>) => work()),
  summary,
  ExitCode: { Success: 0, Failure: 1 },
};
jest.unstable_mockModule('@actions/core', () => core);
const { run } = await import('../../src/main.js');

/** action.yml's defaults plus a valid source and tag; `overrides` spoils one input. */
function setInputs(overrides: Record<string, string>): void {
  inputs.clear();
  const defaults = {
    sources: 'ghcr.io/acme/app:1.0-amd64',
    tags: 'ghcr.io/acme/app:1.0',
    format: 'auto',
    attestations: 'keep',
  };
  for (const [name, value] of Object.entries({ ...defaults, append: 'false', push: 'true', ...overrides })) {
    inputs.set(name, value);
  }
}

afterEach(() => {
  process.exitCode = undefined;
  jest.clearAllMocks();
});

describe('run with invalid inputs', () => {
  it.each([
    ['a bad tag', { tags: 'app:bad tag!' }, 'invalid tags entry "app:bad tag!"'],
    [
      'an uppercase repository',
      { tags: 'ghcr.io/Acme/app:1.0' },
      'invalid tags entry "ghcr.io/Acme/app:1.0"',
    ],
    ['an unknown platform', { platforms: 'linux/amd64/v9/x' }, 'invalid platforms entry "linux/amd64/v9/x"'],
    ['a bad format', { format: 'yaml' }, 'invalid format "yaml": expected one of auto, oci, docker'],
    ['empty sources', { sources: '' }, 'sources is empty'],
    ['a too short source digest', { sources: 'sha256:abc' }, 'invalid sources entry "sha256:abc"'],
    ['a username without a password', { username: 'bot' }, 'username is set but password is empty'],
  ])(
    '%s: fails with one titled error saying nothing was written, sets no output, and writes a failure summary',
    async (_name, overrides, message) => {
      setInputs(overrides);
      await run();
      expect(process.exitCode).toBe(1);
      expect(core.error).toHaveBeenCalledTimes(1);
      expect(core.error).toHaveBeenCalledWith(expect.stringContaining(message), { title: 'Invalid input' });
      expect(core.setFailed).not.toHaveBeenCalled();
      expect(core.setOutput).not.toHaveBeenCalled();
      expect(core.error).toHaveBeenCalledWith(expect.stringMatching(/\nNothing was written\.$/), {
        title: 'Invalid input',
      });
      expect(summary.addRaw).toHaveBeenCalledWith(
        expect.stringContaining('<p>Failed while trying to read inputs:<br>'),
        true,
      );
      expect(summary.write).toHaveBeenCalledTimes(1);
    },
  );
});

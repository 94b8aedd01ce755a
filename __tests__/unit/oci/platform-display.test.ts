import { describe, expect, it } from '@jest/globals';
import { type Platform, platformKey, platformProblem } from '../../../src/oci/platform.js';

describe('platformKey', () => {
  it.each<[Platform, string]>([
    [{ os: 'linux', architecture: 'amd64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'aarch64' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'arm', variant: 'v6' }, 'linux/arm/v6'],
    [{ os: 'Linux', architecture: 'x86_64' }, 'linux/amd64'],
    [
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.5458', 'os.features': ['win32k'] },
      'windows(10.0.17763.5458)/amd64',
    ],
    [{ os: 'unknown', architecture: 'unknown' }, 'unknown/unknown'],
  ])('spells %j as %s', (platform, shown) => {
    expect(platformKey(platform)).toBe(shown);
  });
});

describe('platformProblem', () => {
  it.each<[string, Platform]>([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['an arm variant', { os: 'linux', architecture: 'arm64', variant: 'v8.1' }],
    ['an empty variant', { os: 'linux', architecture: 'amd64', variant: '' }],
    [
      'windows with version and features',
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2227', 'os.features': ['win32k'] },
    ],
    ['a 64-character architecture', { os: 'linux', architecture: 'a'.repeat(64) }],
  ])('accepts %s', (_name, platform) => {
    expect(platformProblem(platform)).toBeUndefined();
  });

  it.each<[string, Platform, string]>([
    ['an empty os', { os: '', architecture: 'amd64' }, '"os" is empty'],
    [
      'an empty feature',
      { os: 'windows', architecture: 'amd64', 'os.features': [''] },
      '"os.features" is empty',
    ],
    ['a newline in os', { os: 'linux\n', architecture: 'amd64' }, '"os" must be at most 64'],
    ['a slash in architecture', { os: 'linux', architecture: 'arm/v7' }, '"architecture" must be at most 64'],
    [
      'a space in variant',
      { os: 'linux', architecture: 'arm', variant: 'v 7' },
      '"variant" must be at most 64',
    ],
    [
      'a NUL in os.version',
      { os: 'windows', architecture: 'amd64', 'os.version': '10\u0000' },
      '"os.version"',
    ],
    ['65 characters', { os: 'linux', architecture: 'a'.repeat(65) }, '… (65 characters)'],
    ['non-ASCII', { os: 'lіnux', architecture: 'amd64' }, 'got "l\\u0456nux"'],
  ])('refuses %s', (_name, platform, problem) => {
    expect(platformProblem(platform)).toContain(problem);
  });
});

import { describe, expect, it } from '@jest/globals';
import { InvalidPlatformError } from '../../../src/oci/oci-error.js';
import {
  type Platform,
  formatPlatform,
  isUnknownPlatform,
  normalizePlatform,
  parsePlatform,
  platformKey,
} from '../../../src/oci/platform.js';

describe('parsePlatform accepts', () => {
  it.each<[string, Platform]>([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['linux/arm/v7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux/arm', { os: 'linux', architecture: 'arm' }],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    ['linux/arm64/v8.1', { os: 'linux', architecture: 'arm64', variant: 'v8.1' }],
    ['linux/amd64/v3', { os: 'linux', architecture: 'amd64', variant: 'v3' }],
    ['Linux/AMD64', { os: 'linux', architecture: 'amd64' }],
    ['linux/ARM/V7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux/x86_64', { os: 'linux', architecture: 'x86_64' }],
    ['linux/riscv64', { os: 'linux', architecture: 'riscv64' }],
    ['unknown/unknown', { os: 'unknown', architecture: 'unknown' }],
    [
      'windows(10.0.17763.5830)/amd64',
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.5830' },
    ],
    [
      'windows(10.0.17763+win32k)/amd64',
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763', 'os.features': ['win32k'] },
    ],
    ['windows()/amd64', { os: 'windows', architecture: 'amd64' }],
  ])('%s', (input, expected) => {
    expect(parsePlatform(input)).toStrictEqual(expected);
  });
});

describe('parsePlatform rejects', () => {
  it.each([
    ['', 'no architecture'],
    ['linux', 'no architecture'],
    ['linux/', 'bad architecture ""'],
    ['/amd64', 'bad os ""'],
    ['linux//v7', 'bad architecture ""'],
    ['linux/arm/', 'bad variant ""'],
    ['a/b/c/d', 'too many "/"-separated parts'],
    ['linux/amd 64', 'bad architecture "amd 64"'],
    ['linux/amd64!', 'bad architecture "amd64!"'],
    ['lin ux/amd64', 'bad os "lin ux"'],
    ['windows(10.0/amd64', 'bad os "windows(10.0"'],
    ['windows(10 0)/amd64', 'bad os "windows(10 0)"'],
    ['linux.x/amd64', 'bad os "linux.x"'],
    [' linux/amd64', 'bad os " linux"'],
  ])('%j: %s', (input, reason) => {
    const attempt = (): unknown => parsePlatform(input);
    expect(attempt).toThrow(InvalidPlatformError);
    expect(attempt).toThrow(`invalid platform "${input}": ${reason}`);
    expect(attempt).toThrow('expected os/architecture[/variant]');
  });
});

describe('normalizePlatform', () => {
  it.each<[Platform, Platform]>([
    [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'Linux', architecture: 'AMD64' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'x86_64' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'x86-64' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'amd64', variant: 'v1' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'amd64', variant: 'v3' },
      { os: 'linux', architecture: 'amd64', variant: 'v3' },
    ],
    [
      { os: 'linux', architecture: 'i386' },
      { os: 'linux', architecture: '386' },
    ],
    [
      { os: 'linux', architecture: 'i686' },
      { os: 'linux', architecture: '386' },
    ],
    [
      { os: 'linux', architecture: 'aarch64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: '8' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8.0' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'aarch64', variant: 'V8' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8.2' },
      { os: 'linux', architecture: 'arm64', variant: 'v8.2' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: '9.0' },
      { os: 'linux', architecture: 'arm64', variant: 'v9' },
    ],
    [
      { os: 'linux', architecture: 'armhf' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'armel' },
      { os: 'linux', architecture: 'arm', variant: 'v6' },
    ],
    [
      { os: 'linux', architecture: 'arm' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '7' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '5' },
      { os: 'linux', architecture: 'arm', variant: 'v5' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '6' },
      { os: 'linux', architecture: 'arm', variant: 'v6' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '8' },
      { os: 'linux', architecture: 'arm', variant: 'v8' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: 'v6' },
      { os: 'linux', architecture: 'arm', variant: 'v6' },
    ],
    [
      { os: 'macos', architecture: 'arm64' },
      { os: 'darwin', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 's390x' },
      { os: 'linux', architecture: 's390x' },
    ],
    [
      {
        os: 'windows',
        architecture: 'amd64',
        'os.version': '10.0.17763.5830',
        'os.features': ['win32k', 'a', 'win32k'],
      },
      {
        os: 'windows',
        architecture: 'amd64',
        'os.version': '10.0.17763.5830',
        'os.features': ['a', 'win32k'],
      },
    ],
    [
      { os: 'linux', architecture: 'amd64', variant: '', 'os.version': '', 'os.features': [] },
      { os: 'linux', architecture: 'amd64' },
    ],
  ])('%j → %j', (input, expected) => {
    expect(normalizePlatform(input)).toStrictEqual(expected);
  });

  it('does not modify its argument', () => {
    const input: Platform = {
      os: 'Linux',
      architecture: 'aarch64',
      variant: 'v8',
      'os.features': ['b', 'a'],
    };
    normalizePlatform(input);
    expect(input).toStrictEqual({
      os: 'Linux',
      architecture: 'aarch64',
      variant: 'v8',
      'os.features': ['b', 'a'],
    });
  });
});

describe('formatPlatform (as given)', () => {
  it.each<[Platform, string]>([
    [{ os: 'linux', architecture: 'amd64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64/v8'],
    [{ os: 'linux', architecture: 'aarch64' }, 'linux/aarch64'],
    [{ os: 'linux', architecture: 'arm', variant: '' }, 'linux/arm'],
    [{ os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763' }, 'windows/amd64'],
  ])('%j → %s', (platform, expected) => {
    expect(formatPlatform(platform)).toBe(expected);
  });
});

describe('platformKey', () => {
  it.each<[Platform, string]>([
    [{ os: 'linux', architecture: 'amd64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'x86_64', variant: 'v1' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'arm' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'armhf' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64'],
    [{ os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763' }, 'windows(10.0.17763)/amd64'],
    [
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763', 'os.features': ['win32k'] },
      'windows(10.0.17763)/amd64',
    ],
    [{ os: 'unknown', architecture: 'unknown' }, 'unknown/unknown'],
  ])('%j → %s', (platform, expected) => {
    expect(platformKey(platform)).toBe(expected);
  });

  it.each(['linux/arm/v7', 'linux/arm64', 'windows(10.0.17763)/amd64'])('%s parses back to itself', (key) => {
    expect(platformKey(parsePlatform(key))).toBe(key);
  });
});

describe('platformKey as identity', () => {
  it.each([
    ['linux/arm64', 'linux/arm64/v8', true],
    ['linux/arm64', 'linux/aarch64', true],
    ['linux/arm', 'linux/arm/v7', true],
    ['linux/armhf', 'linux/arm/v7', true],
    ['linux/amd64', 'linux/x86_64', true],
    ['linux/amd64', 'linux/amd64/v1', true],
    ['linux/386', 'linux/i386', true],
    ['darwin/arm64', 'macos/arm64', true],
    ['windows(10.0.17763+win32k)/amd64', 'windows(10.0.17763)/amd64', true],
    ['linux/arm/v6', 'linux/arm/v7', false],
    ['linux/arm64', 'linux/arm/v8', false],
    ['linux/amd64', 'linux/amd64/v3', false],
    ['linux/amd64', 'windows/amd64', false],
    ['windows(10.0.17763)/amd64', 'windows(10.0.20348)/amd64', false],
    ['windows(10.0.17763)/amd64', 'windows/amd64', false],
    ['linux/arm64', 'linux/arm64/v9', false],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(platformKey(parsePlatform(a)) === platformKey(parsePlatform(b))).toBe(expected);
  });
});

describe('isUnknownPlatform', () => {
  it.each<[Platform | undefined, boolean]>([
    [{ os: 'unknown', architecture: 'unknown' }, true],
    [{ os: 'Unknown', architecture: 'UNKNOWN' }, true],
    [{ os: 'linux', architecture: 'unknown' }, false],
    [{ os: 'unknown', architecture: 'amd64' }, false],
    [{ os: 'linux', architecture: 'amd64' }, false],
    [undefined, false],
  ])('%j → %s', (platform, expected) => {
    expect(isUnknownPlatform(platform)).toBe(expected);
  });
});

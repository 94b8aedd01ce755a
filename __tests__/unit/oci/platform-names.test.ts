import { describe, expect, it } from '@jest/globals';
import { InvalidPlatformError } from '../../../src/oci/oci-error.js';
import { parsePlatform } from '../../../src/oci/platform.js';
import { editDistance } from '../../../src/oci/platform-names.js';

describe('parsePlatform suggests the nearest known platform', () => {
  it.each([
    ['linux/amd46', 'unknown architecture "amd46": did you mean linux/amd64?'],
    ['linux/arm46', 'did you mean linux/arm64?'],
    ['linx/amd64', 'unknown os "linx": did you mean linux/amd64?'],
    ['linux/arm64/v7', 'unknown variant "v7" of arm64: did you mean linux/arm64?'],
    ['linux/arm/v9', "did you mean linux/arm? (arm's variants: v5, v6, v7, v8)"],
    ['windws/amd46', 'unknown os "windws" and architecture "amd46": did you mean windows/amd64?'],
    ['linux/s309x', 'did you mean linux/s390x?'],
  ])('%s', (text, message) => {
    const failure = () => parsePlatform(text);
    expect(failure).toThrow(InvalidPlatformError);
    expect(failure).toThrow(`invalid platform "${text}": `);
    expect(failure).toThrow(message);
  });

  it.each([
    'linux/aarch64',
    'linux/x86_64',
    'linux/arm64/v8',
    'linux/arm64/v9',
    'linux/arm/v7',
    'linux/amd64/v3',
    'linux/riscv64',
    'linux/sparc64',
    'freebsd/amd64',
    'windows(10.0.17763)/amd64',
    'unknown/unknown',
  ])('accepts %s (known, an alias, or far from anything known)', (text) => {
    expect(() => parsePlatform(text)).not.toThrow();
  });
});

describe('editDistance', () => {
  it.each([
    ['amd64', 'amd64', 0],
    ['amd46', 'amd64', 1],
    ['arm', 'arm64', 2],
    ['', 'abc', 3],
    ['linux', 'linx', 1],
  ])('%s → %s is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

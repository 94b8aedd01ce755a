import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../../src/action/input-error.js';
import { expandSourceTemplate, isSourceTemplate } from '../../../../src/action/inputs/source-template.js';
import { parsePlatform } from '../../../../src/oci/platform.js';

const THREE = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'].map(parsePlatform);

describe('expandSourceTemplate', () => {
  it.each<[string, string[], string[]]>([
    [
      'ghcr.io/acme/app:1.0-{arch}{variant}',
      ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      ['ghcr.io/acme/app:1.0-amd64', 'ghcr.io/acme/app:1.0-arm64', 'ghcr.io/acme/app:1.0-armv7'],
    ],
    [
      'ghcr.io/acme/app:{os}-{arch}-{variant}',
      ['linux/arm/v6', 'linux/arm64/v8'],
      ['ghcr.io/acme/app:linux-arm-v6', 'ghcr.io/acme/app:linux-arm64-v8'],
    ],
    // As written, lowercased; never normalized: linux/arm stays without a variant.
    [
      'ghcr.io/acme/app:{arch}{variant}',
      ['Linux/ARM', 'linux/x86_64'],
      ['ghcr.io/acme/app:arm', 'ghcr.io/acme/app:x86_64'],
    ],
    [
      'ghcr.io/acme/{os}:{arch}',
      ['linux/amd64', 'windows(10.0.17763)/amd64'],
      ['ghcr.io/acme/linux:amd64', 'ghcr.io/acme/windows:amd64'],
    ],
    ['oci-layout:build/{os}-{arch}{variant}', ['linux/arm/v7'], ['oci-layout:build/linux-armv7']],
  ])('%s over %j', (template, platforms, expected) => {
    const parsed = platforms.map(parsePlatform);
    expect(expandSourceTemplate(template, parsed)).toEqual(
      expected.map((text, i) => ({ text, platform: parsed[i] })),
    );
  });

  it.each([
    ['ghcr.io/acme/app:{arch}', [], 'a template expands over platforms: list them in platforms'],
    [
      'ghcr.io/acme/app:{architecture}',
      THREE,
      'unknown placeholder {architecture}; a template uses {os}, {arch}',
    ],
    ['ghcr.io/acme/app:{}', THREE, 'unknown placeholder {}'],
    ['ghcr.io/acme/app:{arch', THREE, 'unbalanced braces'],
    ['ghcr.io/acme/app:arch}', THREE, 'unbalanced braces'],
    [
      'linux/amd64=ghcr.io/acme/app:{arch}',
      THREE,
      'a template is declared by its expansions: drop "linux/amd64="',
    ],
  ])('refuses %j', (template, platforms, message) => {
    const attempt = (): unknown => expandSourceTemplate(template, platforms);
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(`invalid sources entry "${template}": ${message}`);
  });

  it.each([
    ['ghcr.io/acme/app:1.0-{arch}', true],
    ['ghcr.io/acme/app:1.0-amd64', false],
    ['linux/arm/v7=ghcr.io/acme/app:1.0', false],
  ])('%s is a template: %s', (entry, expected) => {
    expect(isSourceTemplate(entry)).toBe(expected);
  });
});

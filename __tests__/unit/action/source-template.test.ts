import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../src/action/input-error.js';
import { parseInputs } from '../../../src/action/parse-inputs.js';
import type { RawInputs } from '../../../src/action/raw-inputs.js';
import { expandSourceTemplate, isSourceTemplate } from '../../../src/action/source-template.js';
import { parsePlatform } from '../../../src/oci/platform.js';

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

/** The inputs as the runner gives them with action.yml's defaults. */
function raw(overrides: Partial<RawInputs>): RawInputs {
  return {
    sources: '',
    tags: '',
    platforms: '',
    format: 'auto',
    annotations: '',
    attestations: 'keep',
    append: 'false',
    push: 'true',
    'insecure-registries': '',
    username: '',
    password: '',
    'github-token': '',
    ...overrides,
  };
}

describe('parseInputs with a templated source', () => {
  it('declares each expansion as its platform, beside plain entries, in order', () => {
    const { request } = parseInputs(
      raw({
        sources: 'ghcr.io/acme/app:1.0-{arch}{variant}\nghcr.io/acme/extra:1.0',
        platforms: 'linux/amd64,linux/arm/v7',
        tags: 'ghcr.io/acme/app:1.0',
      }),
    );
    expect(request.sources).toEqual([
      {
        text: 'ghcr.io/acme/app:1.0-amd64',
        declared: { os: 'linux', architecture: 'amd64' },
        kind: 'reference',
        reference: { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0-amd64' },
      },
      {
        text: 'ghcr.io/acme/app:1.0-armv7',
        declared: { os: 'linux', architecture: 'arm', variant: 'v7' },
        kind: 'reference',
        reference: { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0-armv7' },
      },
      {
        text: 'ghcr.io/acme/extra:1.0',
        kind: 'reference',
        reference: { registry: 'ghcr.io', repository: 'acme/extra', tag: '1.0' },
      },
    ]);
  });

  it('is an input error without platforms', () => {
    expect(() =>
      parseInputs(raw({ sources: 'ghcr.io/acme/app:{arch}', tags: 'ghcr.io/acme/app:1' })),
    ).toThrow('a template expands over platforms');
  });
});

describe('parseInputs verify mode', () => {
  it('takes no tags when push is false', () => {
    const { request } = parseInputs(
      raw({ sources: 'ghcr.io/acme/app:1.2.3', push: 'false', platforms: 'windows(10.0.17763)/amd64' }),
    );
    expect(request.targets).toEqual([]);
    expect(request.push).toBe(false);
    expect(request.platforms).toEqual([{ os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763' }]);
  });

  it('still needs tags to push, and says how to verify instead', () => {
    expect(() => parseInputs(raw({ sources: 'ghcr.io/acme/app:1.2.3' }))).toThrow(
      'or set push: false to verify the sources without publishing',
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/action/input-error.js';
import { parseInputs, type RawInputs } from '../../../src/action/inputs.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;

/** The inputs as the runner gives them with action.yml's defaults, plus one source and one tag. */
function raw(overrides: Partial<RawInputs> = {}): RawInputs {
  return {
    sources: 'ghcr.io/acme/app:1.0-amd64',
    tags: 'ghcr.io/acme/app:1.0',
    platforms: '',
    format: 'auto',
    annotations: '',
    attestations: 'keep',
    referrers: 'copy',
    prove: 'binaries',
    append: 'false',
    push: 'true',
    timeout: '',
    'insecure-registries': '',
    registry: '',
    username: '',
    password: '',
    'github-token': '',
    metadata: '',
    'context-annotations': 'true',
    ...overrides,
  };
}

describe('parseInputs sources', () => {
  it.each([
    [
      'a tag reference',
      'ghcr.io/acme/app:1.0-amd64',
      {
        text: 'ghcr.io/acme/app:1.0-amd64',
        kind: 'reference',
        reference: { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0-amd64' },
      },
    ],
    [
      'a Docker Hub short name',
      'alpine:3.20',
      {
        text: 'alpine:3.20',
        kind: 'reference',
        reference: { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' },
      },
    ],
    [
      'a digest reference',
      `ghcr.io/acme/app@${DIGEST}`,
      {
        text: `ghcr.io/acme/app@${DIGEST}`,
        kind: 'reference',
        reference: { registry: 'ghcr.io', repository: 'acme/app', digest: DIGEST },
      },
    ],
    [
      'PLATFORM=REF',
      'linux/arm64=ghcr.io/acme/app:1.0-arm64',
      {
        text: 'linux/arm64=ghcr.io/acme/app:1.0-arm64',
        declared: { os: 'linux', architecture: 'arm64' },
        kind: 'reference',
        reference: { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0-arm64' },
      },
    ],
    ['a bare digest', DIGEST, { text: DIGEST, kind: 'digest', digest: DIGEST }],
    [
      'PLATFORM=digest',
      `linux/arm/v7=${DIGEST}`,
      {
        text: `linux/arm/v7=${DIGEST}`,
        declared: { os: 'linux', architecture: 'arm', variant: 'v7' },
        kind: 'digest',
        digest: DIGEST,
      },
    ],
    [
      'an OCI layout',
      'oci-layout:out/amd64.tar',
      { text: 'oci-layout:out/amd64.tar', kind: 'layout', path: 'out/amd64.tar' },
    ],
    [
      'PLATFORM=oci-layout:PATH',
      'linux/arm64=oci-layout:out/arm64',
      {
        text: 'linux/arm64=oci-layout:out/arm64',
        declared: { os: 'linux', architecture: 'arm64' },
        kind: 'layout',
        path: 'out/arm64',
      },
    ],
    [
      'a layout path holding "="',
      'oci-layout:out/a=b',
      { text: 'oci-layout:out/a=b', kind: 'layout', path: 'out/a=b' },
    ],
  ])('accepts %s', (_name, entry, expected) => {
    expect(parseInputs(raw({ sources: entry })).request.sources).toEqual([expected]);
  });

  it('keeps entries in order, duplicates included, from a matrix of digests', () => {
    const sources = parseInputs(raw({ sources: `${DIGEST}\n${OTHER_DIGEST}, ${DIGEST}` })).request.sources;
    expect(sources.map((source) => source.text)).toEqual([DIGEST, OTHER_DIGEST, DIGEST]);
  });

  it('accepts empty sources when append is true', () => {
    expect(parseInputs(raw({ sources: '', append: 'true' })).request.sources).toEqual([]);
  });
});

describe('parseInputs tags', () => {
  it.each([
    [
      'docker/metadata-action tags output',
      'ghcr.io/acme/app:1.2.3\nghcr.io/acme/app:1.2\nghcr.io/acme/app:latest\n',
      ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:1.2', 'ghcr.io/acme/app:latest'],
    ],
    [
      'several registries, comma separated',
      'ghcr.io/acme/app:1.0, acme/app:1.0,localhost:5000/app:1.0',
      ['ghcr.io/acme/app:1.0', 'docker.io/acme/app:1.0', 'localhost:5000/app:1.0'],
    ],
    [
      'duplicates after normalization, first kept',
      'app:1\ndocker.io/library/app:1\napp:2\napp:1',
      ['docker.io/library/app:1', 'docker.io/library/app:2'],
    ],
  ])('accepts %s', (_name, tags, expected) => {
    const targets = parseInputs(raw({ tags })).request.targets;
    expect(targets.map((t) => `${t.registry}/${t.repository}:${t.tag}`)).toEqual(expected);
  });
});

describe('parseInputs scalars and lists', () => {
  it('applies the defaults when inputs are empty', () => {
    const parsed = parseInputs(
      raw({ format: '', attestations: '', referrers: '', prove: '', append: '', push: '' }),
    );
    expect(parsed.request).toMatchObject({
      format: 'auto',
      attestations: 'keep',
      referrers: 'copy',
      prove: 'binaries',
      append: false,
      push: true,
      platforms: [],
    });
    expect(parsed.insecureRegistries).toEqual([]);
    expect(parsed.notices).toEqual([]);
  });

  it.each([
    ['auto', 'auto'],
    ['oci', 'oci'],
    ['docker', 'docker'],
    ['OCI', 'oci'],
    ['Docker', 'docker'],
  ])('accepts format %s', (format, expected) => {
    expect(parseInputs(raw({ format })).request.format).toBe(expected);
  });

  it.each([
    ['keep', 'keep'],
    ['drop', 'drop'],
    ['DROP', 'drop'],
  ])('accepts attestations %s', (attestations, expected) => {
    expect(parseInputs(raw({ attestations })).request.attestations).toBe(expected);
  });

  it.each([
    ['copy', 'copy'],
    ['skip', 'skip'],
    ['Skip', 'skip'],
  ])('accepts referrers %s', (referrers, expected) => {
    expect(parseInputs(raw({ referrers })).request.referrers).toBe(expected);
  });

  it.each([
    ['binaries', 'binaries'],
    ['config', 'config'],
    ['Config', 'config'],
  ])('accepts prove %s', (prove, expected) => {
    expect(parseInputs(raw({ prove })).request.prove).toBe(expected);
  });

  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('accepts the boolean %s for push and append', (text, expected) => {
    const { request } = parseInputs(raw({ push: text, append: text }));
    expect(request.push).toBe(expected);
    expect(request.append).toBe(expected);
  });

  it('parses platforms, counting a platform once after normalization', () => {
    const { platforms } = parseInputs(
      raw({ platforms: 'linux/amd64, linux/arm64\nlinux/arm64/v8,linux/arm/v7' }),
    ).request;
    expect(platforms).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
  });

  it('parses insecure registries', () => {
    const parsed = parseInputs(
      raw({ 'insecure-registries': 'localhost:5000, registry.local\n127.0.0.1:5000,[::1]:5000' }),
    );
    expect(parsed.insecureRegistries).toEqual([
      'localhost:5000',
      'registry.local',
      '127.0.0.1:5000',
      '[::1]:5000',
    ]);
  });

  it('sorts annotations into index and descriptor annotations, with notices for skipped lines', () => {
    const parsed = parseInputs(
      raw({
        annotations: [
          '# from docker/metadata-action',
          'manifest:org.opencontainers.image.title=app',
          'index:org.opencontainers.image.title=app',
          'manifest-descriptor[linux/amd64]:com.example.note=a, b',
        ].join('\n'),
      }),
    );
    expect(parsed.request.indexAnnotations).toEqual({ 'org.opencontainers.image.title': 'app' });
    expect(parsed.request.descriptorAnnotations).toEqual([
      { key: 'com.example.note', value: 'a, b', platform: { os: 'linux', architecture: 'amd64' } },
    ]);
    expect(parsed.notices).toEqual([
      expect.stringContaining('skipped 1 manifest: line(s) (org.opencontainers.image.title)'),
    ]);
  });

  it('passes the credentials inputs through', () => {
    const parsed = parseInputs(raw({ username: 'bot', password: 'pw', 'github-token': 'ghs_x' }));
    expect(parsed.credentials).toEqual({
      registry: '',
      username: 'bot',
      password: 'pw',
      githubToken: 'ghs_x',
    });
  });

  it.each([
    ['ghcr.io', 'ghcr.io'],
    ['registry.local:5000', 'registry.local:5000'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
  ])('binds the credentials to registry %s, named as references name it', (registry, bound) => {
    expect(parseInputs(raw({ registry, username: 'bot', password: 'pw' })).credentials.registry).toBe(bound);
  });
});

describe('parseInputs rejects', () => {
  it.each<[string, Partial<RawInputs>, string, string]>([
    // The product spec's six bad inputs.
    ['a bad tag', { tags: 'app:bad tag!' }, 'tags', '"app:bad tag!"'],
    ['an uppercase repository', { tags: 'ghcr.io/Acme/App:1.0' }, 'tags', '"ghcr.io/Acme/App:1.0"'],
    ['an unknown platform', { platforms: 'linux/amd64/v9/x' }, 'platforms', '"linux/amd64/v9/x"'],
    ['a bad format', { format: 'yaml' }, 'format', '"yaml": expected one of auto, oci, docker'],
    ['a registry with a scheme', { registry: 'https://ghcr.io' }, 'registry', 'drop the scheme "https://"'],
    ['empty sources', { sources: '' }, 'sources', 'sources is empty'],
    [
      'a too short source digest',
      { sources: 'sha256:abc' },
      'sources',
      '"sha256:abc": invalid digest "sha256:abc": 3 hex characters',
    ],
    // Sources.
    ['sources holding only comments', { sources: '# nothing yet\n' }, 'sources', 'sources is empty'],
    [
      'an oci-layout source without a path',
      { sources: 'oci-layout: ' },
      'sources',
      'oci-layout: needs the path of an OCI layout directory or tar',
    ],
    [
      'a sha512 source digest',
      { sources: `sha512:${'a'.repeat(128)}` },
      'sources',
      'only sha256 is supported',
    ],
    [
      'an uppercase source digest',
      { sources: `sha256:${'A'.repeat(64)}` },
      'sources',
      'hex must be lowercase',
    ],
    [
      'a bad declared platform',
      { sources: 'linux=ghcr.io/acme/app:1' },
      'sources',
      '"linux=ghcr.io/acme/app:1": invalid platform "linux"',
    ],
    [
      'a declared platform without a reference',
      { sources: 'linux/amd64=' },
      'sources',
      '"linux/amd64=": invalid reference ""',
    ],
    ['a bad source reference', { sources: 'ghcr.io/acme/App:1' }, 'sources', 'must be lowercase'],
    // Tags.
    ['no tags', { tags: '' }, 'tags', 'tags is required'],
    [
      'a tagless target',
      { tags: 'ghcr.io/acme/app' },
      'tags',
      '"ghcr.io/acme/app": no tag: add a tag, e.g. "ghcr.io/acme/app:latest"',
    ],
    ['a digest-only target', { tags: `ghcr.io/acme/app@${DIGEST}` }, 'tags', 'add a tag'],
    ['a target with tag and digest', { tags: `ghcr.io/acme/app:1@${DIGEST}` }, 'tags', `drop "@${DIGEST}"`],
    ['a bare digest target', { tags: DIGEST }, 'tags', `"${DIGEST}"`],
    // Scalars.
    [
      'a bad attestations value',
      { attestations: 'maybe' },
      'attestations',
      '"maybe": expected one of keep, drop',
    ],
    ['a bad referrers value', { referrers: 'all' }, 'referrers', '"all": expected one of copy, skip'],
    ['a bad prove value', { prove: 'elf' }, 'prove', '"elf": expected one of binaries, config'],
    ['yes for push', { push: 'yes' }, 'push', '"yes": expected true or false'],
    ['1 for push', { push: '1' }, 'push', '"1"'],
    ['tRUE for append', { append: 'tRUE' }, 'append', '"tRUE"'],
    ['on for append', { append: 'on' }, 'append', '"on"'],
    // Insecure registries.
    [
      'a scheme',
      { 'insecure-registries': 'http://localhost:5000' },
      'insecure-registries',
      'drop the scheme "http://"',
    ],
    [
      'a path',
      { 'insecure-registries': 'localhost:5000/v2' },
      'insecure-registries',
      '"localhost:5000/v2": expected host[:port]',
    ],
    [
      'a port out of range',
      { 'insecure-registries': 'localhost:70000' },
      'insecure-registries',
      '"localhost:70000"',
    ],
    ['a port zero', { 'insecure-registries': 'localhost:0' }, 'insecure-registries', '"localhost:0"'],
    // Annotations.
    [
      'an annotation without "="',
      { annotations: 'index:title' },
      'annotations',
      '"index:title": expected [LEVEL:]key=value',
    ],
    [
      'format docker with annotations',
      { format: 'docker', annotations: 'index:a=1' },
      'format',
      'format docker cannot carry annotations',
    ],
  ])('%s', (_name, overrides, input, quoted) => {
    let caught: unknown;
    try {
      parseInputs(raw(overrides));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).input).toBe(input);
    expect((caught as InputError).message).toContain(input);
    expect((caught as InputError).message).toContain(quoted);
  });
});

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
    const { request } = parseInputs(raw({ tags: '', push: 'false', platforms: 'windows(10.0.17763)/amd64' }));
    expect(request.targets).toEqual([]);
    expect(request.push).toBe(false);
    expect(request.platforms).toEqual([{ os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763' }]);
  });

  it('still needs tags to push, and says how to verify instead', () => {
    expect(() => parseInputs(raw({ tags: '' }))).toThrow(
      'or set push: false to verify the sources without publishing',
    );
  });
});

describe('parseInputs metadata, digests:DIR and context-annotations', () => {
  const metadata = JSON.stringify({
    tags: ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest'],
    labels: { 'org.opencontainers.image.version': '1.2.3' },
    annotations: [
      'manifest:org.opencontainers.image.version=1.2.3',
      'manifest:org.opencontainers.image.title=app',
    ],
  });

  it('takes the tags and annotations of metadata-action json when tags is empty', () => {
    const parsed = parseInputs(raw({ tags: '', metadata }));
    expect(parsed.request.targets.map((target) => target.tag)).toEqual(['1.2.3', 'latest']);
    expect(parsed.request.indexAnnotations).toEqual({
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.title': 'app',
    });
    expect(parsed.notices).toEqual([expect.stringContaining('metadata: applied 2 manifest: line(s)')]);
  });

  it('keeps the tags and annotations inputs over the metadata', () => {
    const parsed = parseInputs(raw({ metadata, annotations: 'org.opencontainers.image.title=mine' }));
    expect(parsed.request.targets.map((target) => target.tag)).toEqual(['1.0']);
    expect(parsed.request.indexAnnotations['org.opencontainers.image.title']).toBe('mine');
  });

  it('takes the labels when the metadata has no annotations, and none of it with format docker', () => {
    const labelsOnly = JSON.stringify({ tags: [], labels: { a: '1' } });
    expect(parseInputs(raw({ metadata: labelsOnly })).request.indexAnnotations).toEqual({ a: '1' });
    const docker = parseInputs(raw({ metadata: labelsOnly, format: 'docker' }));
    expect(docker.request.indexAnnotations).toEqual({});
    expect(docker.notices).toEqual([expect.stringContaining('metadata: skipped its 1 annotation(s)')]);
  });

  it('reads digests:DIR as bare digests, in name order, passing over other files with a notice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'digests-'));
    try {
      writeFileSync(join(dir, OTHER_DIGEST.slice('sha256:'.length)), '');
      writeFileSync(join(dir, `sha256-${DIGEST.slice('sha256:'.length)}`), '');
      writeFileSync(join(dir, '.keep'), '');
      writeFileSync(join(dir, 'notes.txt'), '');
      const parsed = parseInputs(raw({ sources: `digests:${dir}` }));
      expect(parsed.request.sources).toEqual([
        { kind: 'digest', digest: OTHER_DIGEST, text: `digests:${dir} → ${OTHER_DIGEST}` },
        { kind: 'digest', digest: DIGEST, text: `digests:${dir} → ${DIGEST}` },
      ]);
      expect(parsed.notices).toEqual([
        expect.stringContaining('skipped 1 entries not named by a digest (notes.txt)'),
      ]);
      writeFileSync(join(dir, `sha256:${'a'.repeat(12)}`), '');
      expect(() => parseInputs(raw({ sources: `digests:${dir}` }))).toThrow('12 hex characters');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['an empty folder', (dir: string) => dir, 'no file named by a digest'],
    ['a missing folder', (dir: string) => join(dir, 'missing'), 'cannot read the folder'],
  ])('rejects digests:DIR of %s', (_name, path, why) => {
    const dir = mkdtempSync(join(tmpdir(), 'digests-'));
    try {
      const failure = () => parseInputs(raw({ sources: `digests:${path(dir)}` }));
      expect(failure).toThrow(InputError);
      expect(failure).toThrow(`invalid sources entry "digests:${path(dir)}"`);
      expect(failure).toThrow(why);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads context-annotations, default true', () => {
    expect(parseInputs(raw({ 'context-annotations': '' })).contextAnnotations).toBe(true);
    expect(parseInputs(raw({ 'context-annotations': 'false' })).contextAnnotations).toBe(false);
  });
});

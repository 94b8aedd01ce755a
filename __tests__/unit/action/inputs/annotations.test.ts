import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../../src/action/input-error.js';
import { parseAnnotations, type ParsedAnnotations } from '../../../../src/action/inputs/annotations.js';

const amd64 = { os: 'linux', architecture: 'amd64' };
const armV7 = { os: 'linux', architecture: 'arm', variant: 'v7' };

describe('parseAnnotations accepts', () => {
  it.each<[string, string[], Omit<ParsedAnnotations, 'notices'>]>([
    ['nothing', [], { index: {}, descriptors: [] }],
    [
      'an unprefixed line as index',
      ['org.opencontainers.image.title=app'],
      { index: { 'org.opencontainers.image.title': 'app' }, descriptors: [] },
    ],
    ['index:', ['index:a=1'], { index: { a: '1' }, descriptors: [] }],
    [
      'manifest-descriptor:',
      ['manifest-descriptor:a=1'],
      { index: {}, descriptors: [{ key: 'a', value: '1' }] },
    ],
    [
      'manifest-descriptor[PLATFORM]:',
      ['manifest-descriptor[linux/arm/v7]:a=1'],
      { index: {}, descriptors: [{ key: 'a', value: '1', platform: armV7 }] },
    ],
    [
      'combined levels',
      ['index,manifest-descriptor[linux/amd64]:a=1'],
      { index: { a: '1' }, descriptors: [{ key: 'a', value: '1', platform: amd64 }] },
    ],
    ['combined with a skipped level', ['manifest,index:a=1'], { index: { a: '1' }, descriptors: [] }],
    ['a value holding "=", "," and ":"', ['index:a=x=y, z:w'], { index: { a: 'x=y, z:w' }, descriptors: [] }],
    ['an empty value', ['index:a='], { index: { a: '' }, descriptors: [] }],
    [
      'a key with a colon that is no level',
      ['com.example:a=1'],
      { index: { 'com.example:a': '1' }, descriptors: [] },
    ],
    ['the same line twice', ['index:a=1', 'index:a=1'], { index: { a: '1' }, descriptors: [] }],
    [
      'one key on different platforms',
      [
        'manifest-descriptor[linux/amd64]:a=1',
        'manifest-descriptor[linux/arm/v7]:a=2',
        'manifest-descriptor:a=3',
      ],
      {
        index: {},
        descriptors: [
          { key: 'a', value: '1', platform: amd64 },
          { key: 'a', value: '2', platform: armV7 },
          { key: 'a', value: '3' },
        ],
      },
    ],
    [
      'docker/metadata-action output with DOCKER_METADATA_ANNOTATIONS_LEVELS=manifest,index',
      [
        'manifest:org.opencontainers.image.title=app',
        'manifest:org.opencontainers.image.version=1.2.3',
        'index:org.opencontainers.image.title=app',
        'index:org.opencontainers.image.version=1.2.3',
      ],
      {
        index: { 'org.opencontainers.image.title': 'app', 'org.opencontainers.image.version': '1.2.3' },
        descriptors: [],
      },
    ],
  ])('%s', (_name, lines, expected) => {
    const { notices, ...parsed } = parseAnnotations(lines);
    expect(parsed).toEqual(expected);
    expect(notices.every((notice) => notice.startsWith('annotations: skipped'))).toBe(true);
  });
});

describe('parseAnnotations skips', () => {
  it.each([
    [
      'manifest: beside index: lines',
      ['manifest:a=1', 'manifest:b=2', 'index:c=3'],
      'skipped 2 manifest: line(s) (a, b)',
    ],
    ['index-descriptor:', ['index-descriptor:a=1'], 'skipped 1 index-descriptor: line(s) (a)'],
    ['manifest[PLATFORM]:', ['manifest[linux/amd64]:a=1'], 'skipped 1 manifest: line(s) (a)'],
  ])('%s lines, with one notice per level', (_name, lines, notice) => {
    const parsed = parseAnnotations(lines);
    expect(parsed.index).toEqual(lines.includes('index:c=3') ? { c: '3' } : {});
    expect(parsed.descriptors).toEqual([]);
    expect(parsed.notices).toHaveLength(1);
    expect(parsed.notices[0]).toContain(notice);
  });
});

describe('parseAnnotations rejects', () => {
  it.each([
    ['no "="', ['org.opencontainers.image.title'], 'expected [LEVEL:]key=value'],
    ['an empty key', ['index:=1'], 'bad key ""'],
    ['an unprefixed empty key', ['=1'], 'bad key ""'],
    ['a key with spaces', ['index:my key=1'], 'bad key "my key"'],
    ['an unknown level', ['manifests:a=1'], 'unknown level "manifests": expected index, manifest-descriptor'],
    ['an uppercase level', ['Index:a=1'], 'unknown level "Index"'],
    ['an unknown level among known ones', ['index,bogus:a=1'], 'unknown level "bogus"'],
    ['a platform on index', ['index[linux/amd64]:a=1'], 'apply to the whole index'],
    ['a bad platform', ['manifest-descriptor[linux]:a=1'], 'invalid platform "linux"'],
    ['an empty platform', ['manifest-descriptor[]:a=1'], 'invalid platform ""'],
    ['one index key with two values', ['index:a=1', 'a=2'], '"a" was already given the value "1"'],
    [
      'one descriptor key with two values',
      ['manifest-descriptor[linux/arm64]:a=1', 'manifest-descriptor[linux/arm64/v8]:a=2'],
      '"a" was already given the value "1"',
    ],
  ])('%s', (_name, lines, why) => {
    const failure = () => parseAnnotations(lines);
    expect(failure).toThrow(InputError);
    expect(failure).toThrow(`invalid annotations entry "${lines.at(-1)}": `);
    expect(failure).toThrow(why);
  });
});

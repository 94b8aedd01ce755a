import { describe, expect, it } from '@jest/globals';
import { sha256Digest } from '../../../src/oci/digest.js';
import {
  InvalidManifestError,
  InvalidPlatformError,
  UnsupportedMediaTypeError,
} from '../../../src/oci/oci-error.js';
import {
  type Descriptor,
  type RawManifest,
  attestationSubject,
  isAttestationDescriptor,
  parseManifest,
  platformFromConfig,
} from '../../../src/oci/manifest.js';
import { MediaType } from '../../../src/oci/media-types.js';

const WHAT = 'ghcr.io/acme/app:1.0';
const D1 = `sha256:${'1'.repeat(64)}` as const;
const D2 = `sha256:${'2'.repeat(64)}` as const;
const D3 = `sha256:${'3'.repeat(64)}` as const;

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
function raw(mediaType: string, document: unknown): RawManifest {
  const bytes = typeof document === 'string' ? encode(document) : encode(JSON.stringify(document));
  return { mediaType, bytes, digest: sha256Digest(bytes) };
}

const ociImage = {
  schemaVersion: 2,
  mediaType: MediaType.OciManifest,
  config: { mediaType: MediaType.OciConfig, digest: D1, size: 7023 },
  layers: [
    { mediaType: MediaType.OciLayerGzip, digest: D2, size: 32654 },
    { mediaType: MediaType.OciLayerGzip, digest: D3, size: 0, urls: ['https://example.com/l'] },
  ],
};
const ociIndex = {
  schemaVersion: 2,
  mediaType: MediaType.OciIndex,
  manifests: [
    {
      mediaType: MediaType.OciManifest,
      digest: D1,
      size: 1024,
      platform: { architecture: 'arm64', os: 'linux', variant: 'v8', features: ['ignored'] },
    },
    {
      mediaType: MediaType.OciManifest,
      digest: D2,
      size: 566,
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': D1 },
      platform: { architecture: 'unknown', os: 'unknown' },
    },
  ],
  annotations: { 'org.opencontainers.image.description': 'Grüße 🚀' },
};

describe('parseManifest accepts', () => {
  it('an OCI image manifest', () => {
    const input = raw(MediaType.OciManifest, {
      ...ociImage,
      artifactType: 'application/vnd.example+json',
      subject: { mediaType: MediaType.OciManifest, digest: D3, size: 10 },
      annotations: { a: 'b' },
      unknownField: true,
    });
    expect(parseManifest(input, WHAT)).toStrictEqual({
      kind: 'image',
      raw: input,
      manifest: {
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        artifactType: 'application/vnd.example+json',
        config: { mediaType: MediaType.OciConfig, digest: D1, size: 7023 },
        layers: [
          { mediaType: MediaType.OciLayerGzip, digest: D2, size: 32654 },
          { mediaType: MediaType.OciLayerGzip, digest: D3, size: 0, urls: ['https://example.com/l'] },
        ],
        subject: { mediaType: MediaType.OciManifest, digest: D3, size: 10 },
        annotations: { a: 'b' },
      },
    });
  });

  it('an OCI index, keeping platforms as written and dropping unknown fields', () => {
    const input = raw(MediaType.OciIndex, ociIndex);
    expect(parseManifest(input, WHAT)).toStrictEqual({
      kind: 'index',
      raw: input,
      index: {
        schemaVersion: 2,
        mediaType: MediaType.OciIndex,
        manifests: [
          {
            mediaType: MediaType.OciManifest,
            digest: D1,
            size: 1024,
            platform: { architecture: 'arm64', os: 'linux', variant: 'v8' },
          },
          {
            mediaType: MediaType.OciManifest,
            digest: D2,
            size: 566,
            annotations: {
              'vnd.docker.reference.type': 'attestation-manifest',
              'vnd.docker.reference.digest': D1,
            },
            platform: { architecture: 'unknown', os: 'unknown' },
          },
        ],
        annotations: { 'org.opencontainers.image.description': 'Grüße 🚀' },
      },
    });
  });

  it('a Docker manifest list with windows os.version and os.features', () => {
    const platform = {
      architecture: 'amd64',
      os: 'windows',
      'os.version': '10.0.17763.5830',
      'os.features': ['win32k'],
    };
    const input = raw(MediaType.DockerManifestList, {
      schemaVersion: 2,
      mediaType: MediaType.DockerManifestList,
      manifests: [{ mediaType: MediaType.DockerManifest, digest: D1, size: 10, platform }],
    });
    const parsed = parseManifest(input, WHAT);
    expect(parsed.kind === 'index' && parsed.index.manifests).toStrictEqual([
      { mediaType: MediaType.DockerManifest, digest: D1, size: 10, platform },
    ]);
  });

  it.each<[string, string, unknown, 'index' | 'image']>([
    [
      'a Docker schema 2 manifest',
      MediaType.DockerManifest,
      { ...ociImage, mediaType: MediaType.DockerManifest },
      'image',
    ],
    [
      'an OCI manifest without mediaType field',
      MediaType.OciManifest,
      { ...ociImage, mediaType: undefined },
      'image',
    ],
    ['an index without mediaType field', MediaType.OciIndex, { ...ociIndex, mediaType: undefined }, 'index'],
    ['an index with no manifests', MediaType.OciIndex, { schemaVersion: 2, manifests: [] }, 'index'],
    ['a Content-Type with parameters', `${MediaType.OciIndex}; charset=utf-8`, ociIndex, 'index'],
    ['null optional fields', MediaType.OciIndex, { ...ociIndex, annotations: null, subject: null }, 'index'],
    ['an image with no layers', MediaType.OciManifest, { ...ociImage, layers: [] }, 'image'],
  ])('%s', (_name, mediaType, document, kind) => {
    expect(parseManifest(raw(mediaType, document), WHAT).kind).toBe(kind);
  });

  it('null optional fields come back absent', () => {
    const parsed = parseManifest(
      raw(MediaType.OciIndex, { ...ociIndex, annotations: null, subject: null }),
      WHAT,
    );
    expect(parsed.kind === 'index' && Object.keys(parsed.index)).toStrictEqual([
      'schemaVersion',
      'mediaType',
      'manifests',
    ]);
  });
});

describe('parseManifest rejects', () => {
  it.each([MediaType.DockerManifestSchema1, MediaType.DockerManifestSchema1Signed])(
    'Docker schema 1 (%s) with a clear hint',
    (mediaType) => {
      const attempt = (): unknown => parseManifest(raw(mediaType, { schemaVersion: 1 }), WHAT);
      expect(attempt).toThrow(UnsupportedMediaTypeError);
      expect(attempt).toThrow(`${WHAT} is a Docker schema 1 manifest ("${mediaType}")`);
      expect(attempt).toThrow('rebuild/re-push it with a current client');
    },
  );

  it.each(['text/html', 'application/json', MediaType.OciConfig, ''])(
    'unknown media type %j',
    (mediaType) => {
      const attempt = (): unknown => parseManifest(raw(mediaType, ociImage), WHAT);
      expect(attempt).toThrow(UnsupportedMediaTypeError);
      expect(attempt).toThrow(`${WHAT} has unsupported media type "${mediaType}": expected one of`);
      expect(attempt).toThrow(MediaType.DockerManifestList);
    },
  );

  const image = MediaType.OciManifest;
  const index = MediaType.OciIndex;
  const descriptor = (fields: Record<string, unknown>): unknown => ({
    ...ociIndex,
    manifests: [{ mediaType: MediaType.OciManifest, digest: D1, size: 1, ...fields }],
  });
  it.each<[string, string, unknown, string]>([
    ['not JSON', image, '{"schemaVersion": 2,', 'not valid UTF-8 JSON'],
    ['an array', image, [ociImage], 'document must be a JSON object, got [{'],
    ['null', image, 'null', 'document must be a JSON object, got null'],
    ['schemaVersion 1', image, { ...ociImage, schemaVersion: 1 }, '"schemaVersion" must be 2, got 1'],
    ['schemaVersion "2"', image, { ...ociImage, schemaVersion: '2' }, '"schemaVersion" must be 2, got "2"'],
    [
      'no schemaVersion',
      image,
      { ...ociImage, schemaVersion: undefined },
      '"schemaVersion" must be 2, got nothing',
    ],
    [
      'a mediaType field that disagrees',
      image,
      { ...ociImage, mediaType: MediaType.DockerManifest },
      `its "mediaType" field is "${MediaType.DockerManifest}" but it is served as "${MediaType.OciManifest}"`,
    ],
    [
      'a non-string mediaType field',
      image,
      { ...ociImage, mediaType: 2 },
      '"mediaType" must be a string, got 2',
    ],
    ['an index without manifests', index, { schemaVersion: 2 }, '"manifests" must be an array, got nothing'],
    [
      'manifests as an object',
      index,
      { schemaVersion: 2, manifests: {} },
      '"manifests" must be an array, got {}',
    ],
    [
      'a manifests entry that is a string',
      index,
      { ...ociIndex, manifests: ['x'] },
      '"manifests[0]" must be a JSON object',
    ],
    [
      'an uppercase digest',
      index,
      descriptor({ digest: D1.toUpperCase() }),
      '"manifests[0].digest": invalid digest',
    ],
    [
      'a sha512 digest',
      index,
      descriptor({ digest: `sha512:${'a'.repeat(128)}` }),
      'only sha256 is supported',
    ],
    [
      'a missing digest',
      index,
      descriptor({ digest: undefined }),
      '"manifests[0].digest" must be a non-empty string',
    ],
    [
      'a negative size',
      index,
      descriptor({ size: -1 }),
      '"manifests[0].size" must be a non-negative integer, got -1',
    ],
    [
      'a fractional size',
      index,
      descriptor({ size: 1.5 }),
      '"manifests[0].size" must be a non-negative integer, got 1.5',
    ],
    [
      'a string size',
      index,
      descriptor({ size: '12' }),
      '"manifests[0].size" must be a non-negative integer, got "12"',
    ],
    [
      'a missing size',
      index,
      descriptor({ size: undefined }),
      '"manifests[0].size" must be a non-negative integer',
    ],
    [
      'an empty mediaType',
      index,
      descriptor({ mediaType: '' }),
      '"manifests[0].mediaType" must be a non-empty string',
    ],
    [
      'a missing mediaType',
      index,
      descriptor({ mediaType: undefined }),
      '"manifests[0].mediaType" must be a non-empty',
    ],
    [
      'a platform without os',
      index,
      descriptor({ platform: { architecture: 'amd64' } }),
      '"manifests[0].platform.os"',
    ],
    [
      'a platform os carrying a workflow command',
      index,
      descriptor({ platform: { os: 'linux\r::add-mask::z', architecture: 'amd64' } }),
      'in "manifests[0].platform": "os" must be at most 64 of A-Z a-z 0-9 _ . -, got "linux\\u000d::add-mask::z"',
    ],
    [
      'a numeric architecture',
      index,
      descriptor({ platform: { os: 'linux', architecture: 64 } }),
      '"manifests[0].platform.architecture" must be a non-empty string, got 64',
    ],
    [
      'non-string os.features',
      index,
      descriptor({ platform: { os: 'linux', architecture: 'amd64', 'os.features': [1] } }),
      '"manifests[0].platform.os.features" must be an array of strings',
    ],
    [
      'a platform string',
      index,
      descriptor({ platform: 'linux/amd64' }),
      '"manifests[0].platform" must be a JSON object',
    ],
    [
      'a non-string annotation',
      index,
      descriptor({ annotations: { a: 1 } }),
      '"manifests[0].annotations.a" must be a string',
    ],
    [
      'annotations as an array',
      index,
      descriptor({ annotations: ['a'] }),
      '"manifests[0].annotations" must be a JSON',
    ],
    [
      'urls with a number',
      index,
      descriptor({ urls: ['u', 2] }),
      '"manifests[0].urls" must be an array of strings',
    ],
    ['a numeric data', index, descriptor({ data: 1 }), '"manifests[0].data" must be a string'],
    [
      'a numeric artifactType',
      index,
      descriptor({ artifactType: 1 }),
      '"manifests[0].artifactType" must be a string',
    ],
    [
      'index annotations with a number',
      index,
      { ...ociIndex, annotations: { a: 1 } },
      '"annotations.a" must be a string',
    ],
    [
      'a subject without digest',
      index,
      { ...ociIndex, subject: { mediaType: image, size: 1 } },
      '"subject.digest"',
    ],
    [
      'a numeric index artifactType',
      index,
      { ...ociIndex, artifactType: 5 },
      '"artifactType" must be a string, got 5',
    ],
    [
      'an image without config',
      image,
      { ...ociImage, config: undefined },
      '"config" must be a JSON object, got nothing',
    ],
    [
      'a config with a bad size',
      image,
      { ...ociImage, config: { ...ociImage.config, size: -5 } },
      '"config.size"',
    ],
    [
      'an image without layers',
      image,
      { ...ociImage, layers: undefined },
      '"layers" must be an array, got nothing',
    ],
    ['a bad layer', image, { ...ociImage, layers: [ociImage.config, { size: 1 }] }, '"layers[1].mediaType"'],
  ])('%s', (_name, mediaType, document, reason) => {
    const attempt = (): unknown => parseManifest(raw(mediaType, document), WHAT);
    expect(attempt).toThrow(InvalidManifestError);
    expect(attempt).toThrow(`invalid manifest ${WHAT}: `);
    expect(attempt).toThrow(reason);
  });

  it('bytes that are not UTF-8', () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0x7d]);
    const attempt = (): unknown =>
      parseManifest({ mediaType: image, bytes, digest: sha256Digest(bytes) }, WHAT);
    expect(attempt).toThrow(InvalidManifestError);
    expect(attempt).toThrow(`invalid manifest ${WHAT}: not valid UTF-8 JSON`);
  });
});

describe('platformFromConfig', () => {
  it.each<[string, unknown, object]>([
    [
      'a linux/arm64/v8 config',
      { architecture: 'arm64', os: 'linux', variant: 'v8', config: { Env: ['PATH=/bin'] }, rootfs: {} },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
    [
      'a windows config',
      { architecture: 'amd64', os: 'windows', 'os.version': '10.0.17763.5830', 'os.features': ['win32k'] },
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.5830', 'os.features': ['win32k'] },
    ],
    [
      'a config as written (no normalization)',
      { architecture: 'x86_64', os: 'Linux' },
      { os: 'Linux', architecture: 'x86_64' },
    ],
    [
      'null variant',
      { architecture: 'amd64', os: 'linux', variant: null },
      { os: 'linux', architecture: 'amd64' },
    ],
  ])('reads %s', (_name, config, expected) => {
    expect(platformFromConfig(encode(JSON.stringify(config)), WHAT)).toStrictEqual(expected);
  });

  it.each<[string, string, string]>([
    ['no architecture', '{"os":"linux"}', '"architecture" must be a non-empty string, got nothing'],
    ['no os', '{"architecture":"amd64"}', '"os" must be a non-empty string, got nothing'],
    [
      'an empty architecture',
      '{"os":"linux","architecture":""}',
      '"architecture" must be a non-empty string, got ""',
    ],
    ['a numeric os', '{"os":1,"architecture":"amd64"}', '"os" must be a non-empty string, got 1'],
    [
      'a numeric variant',
      '{"os":"linux","architecture":"arm","variant":7}',
      '"variant" must be a string, got 7',
    ],
    ['not JSON', 'not json', 'not valid UTF-8 JSON'],
    ['an array', '[]', 'document must be a JSON object, got []'],
    [
      'an os carrying a workflow command',
      '{"os":"linux\\n::error title=x::pwned","architecture":"amd64"}',
      '"os" must be at most 64 of A-Z a-z 0-9 _ . -, got "linux\\u000a::error title=x::pwned"',
    ],
    [
      'an architecture with markup',
      '{"os":"linux","architecture":"<img src=x>"}',
      '"architecture" must be at most 64 of A-Z a-z 0-9 _ . -, got "<img src=x>"',
    ],
    [
      'a variant with a blank line and markdown',
      '{"os":"linux","architecture":"arm","variant":"v7\\n\\n![x](http://e.example/x.png)"}',
      '"variant" must be at most 64 of A-Z a-z 0-9 _ . -, got "v7\\u000a\\u000a![x](http://e.example/x.png)"',
    ],
    [
      'an os.version with a space',
      '{"os":"windows","architecture":"amd64","os.version":"10.0 17763"}',
      '"os.version" must be at most 64 of A-Z a-z 0-9 _ . -, got "10.0 17763"',
    ],
    [
      'an os.feature with a right-to-left override',
      '{"os":"windows","architecture":"amd64","os.features":["win\\u202e32k"]}',
      '"os.features" must be at most 64 of A-Z a-z 0-9 _ . -, got "win\\u202e32k"',
    ],
    [
      'a huge os',
      `{"os":"${'l'.repeat(5000)}","architecture":"amd64"}`,
      `got "${'l'.repeat(64)}"… (5000 characters)`,
    ],
    [
      'too many os.features',
      `{"os":"windows","architecture":"amd64","os.features":${JSON.stringify(Array(17).fill('f'))}}`,
      '"os.features" lists 17 features, more than 16',
    ],
  ])('rejects %s', (_name, config, reason) => {
    const attempt = (): unknown => platformFromConfig(encode(config), WHAT);
    expect(attempt).toThrow(InvalidPlatformError);
    expect(attempt).toThrow(`failed to read the platform of ${WHAT} from its image config: `);
    expect(attempt).toThrow(reason);
  });
});

describe('attestation descriptors', () => {
  const base: Descriptor = { mediaType: MediaType.OciManifest, digest: D2, size: 566 };
  const attestation = (annotations: Record<string, string>): Descriptor => ({ ...base, annotations });
  it.each<[string, Descriptor, boolean, string | undefined]>([
    [
      'a BuildKit attestation',
      attestation({ 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': D1 }),
      true,
      D1,
    ],
    [
      'an attestation without subject',
      attestation({ 'vnd.docker.reference.type': 'attestation-manifest' }),
      true,
      undefined,
    ],
    [
      'an attestation with a malformed subject',
      attestation({
        'vnd.docker.reference.type': 'attestation-manifest',
        'vnd.docker.reference.digest': 'sha256:abc',
      }),
      true,
      undefined,
    ],
    [
      'another reference type',
      attestation({ 'vnd.docker.reference.type': 'something-else', 'vnd.docker.reference.digest': D1 }),
      false,
      undefined,
    ],
    ['a subject annotation alone', attestation({ 'vnd.docker.reference.digest': D1 }), false, undefined],
    ['an image', { ...base, platform: { os: 'linux', architecture: 'amd64' } }, false, undefined],
  ])('%s', (_name, descriptor, isAttestation, subject) => {
    expect(isAttestationDescriptor(descriptor)).toBe(isAttestation);
    expect(attestationSubject(descriptor)).toBe(subject);
  });
});

import { describe, expect, it } from '@jest/globals';
import { IndexBuildError } from '../../../src/oci/oci-error.js';
import { type IndexSpec, MAX_INDEX_BYTES, buildIndex } from '../../../src/oci/index-builder.js';
import type { Descriptor } from '../../../src/oci/manifest.js';
import { MediaType } from '../../../src/oci/media-types.js';
import {
  A,
  B,
  C,
  D,
  DOCKER_LIST,
  E,
  EMPTY_OCI_INDEX,
  OCI_INDEX,
  PADDED_OCI_INDEX,
} from './golden/indexes.js';

const utf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const attestationFor = (subject: string) => ({
  'vnd.docker.reference.digest': subject,
  'vnd.docker.reference.type': 'attestation-manifest',
});

describe('buildIndex golden bytes', () => {
  it('writes an OCI index in the fixed key order, attestations last, annotations sorted', () => {
    // Keys deliberately out of order: the output order must not depend on the input objects.
    const attestationOfAmd64: Descriptor = {
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': A },
      size: 566,
      digest: D,
      mediaType: MediaType.OciManifest,
    };
    const built = buildIndex({
      annotations: {
        'org.opencontainers.image.title': 'app <&>',
        'org.opencontainers.image.description': 'Grüße aus Köln 🚀',
        '9': 'nine',
        '10': 'ten',
        '!': 'bang',
      },
      mediaType: MediaType.OciIndex,
      manifests: [
        attestationOfAmd64,
        {
          mediaType: MediaType.OciManifest,
          digest: A,
          size: 1024,
          platform: { os: 'linux', architecture: 'amd64' },
        },
        {
          size: 1025,
          digest: B,
          mediaType: MediaType.OciManifest,
          platform: { variant: 'v8', os: 'linux', architecture: 'arm64' },
          annotations: {
            'org.opencontainers.image.ref.name': '1.0',
            'com.example.b': 'ünïcödé',
            'com.example.a': 'x',
          },
        },
        {
          artifactType: 'application/vnd.example+json',
          platform: {
            'os.features': ['win32k'],
            'os.version': '10.0.17763.5830',
            os: 'windows',
            architecture: 'amd64',
          },
          data: 'e30=',
          urls: ['https://example.com/foreign'],
          size: 2048,
          digest: C,
          mediaType: MediaType.DockerManifest,
        },
        {
          mediaType: MediaType.OciManifest,
          digest: E,
          size: 567,
          annotations: attestationFor(B),
          platform: { os: 'unknown', architecture: 'unknown' },
        },
      ],
    });
    expect(utf8(built.bytes)).toBe(OCI_INDEX);
    expect(built.digest).toBe('sha256:08c0379e4c7c980966b1656d8a0adb0b8aaba292b66332d81425b5ace54bb41d');
    expect(built.size).toBe(2499);
    expect(built.bytes.length).toBe(2499);
    expect(built.mediaType).toBe('application/vnd.oci.image.index.v1+json');
  });

  it('writes a Docker manifest list with platforms as given and empty optional fields dropped', () => {
    const built = buildIndex({
      mediaType: MediaType.DockerManifestList,
      annotations: {},
      manifests: [
        {
          mediaType: MediaType.DockerManifest,
          digest: A,
          size: 528,
          urls: [],
          annotations: {},
          data: '',
          artifactType: '',
          platform: { os: 'linux', architecture: 'amd64', variant: '', 'os.version': '', 'os.features': [] },
        },
        {
          mediaType: MediaType.DockerManifest,
          digest: B,
          size: 529,
          platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
        },
        {
          mediaType: MediaType.DockerManifest,
          digest: C,
          size: 530,
          platform: { os: 'linux', architecture: 'aarch64' },
        },
      ],
    });
    expect(utf8(built.bytes)).toBe(DOCKER_LIST);
    expect(built.digest).toBe('sha256:29f5734588b05f3312644f1eb258d2b2e5a9e3f9a84dad31d444585b635d0285');
    expect(built.size).toBe(989);
    expect(built.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
  });

  it('keeps an empty manifests array (it is required)', () => {
    const built = buildIndex({ mediaType: MediaType.OciIndex, manifests: [], annotations: {} });
    expect(utf8(built.bytes)).toBe(EMPTY_OCI_INDEX);
    expect(built.digest).toBe('sha256:434dee09a34300413d1a44f76a5d34aa8902a405b1462febd8435e0176029ee3');
    expect(built.size).toBe(101);
  });
});

describe('buildIndex ordering', () => {
  const image = (digest: string): Descriptor => ({
    mediaType: MediaType.OciManifest,
    digest: digest as Descriptor['digest'],
    size: 1,
    platform: { os: 'linux', architecture: digest.slice(-1) },
  });
  const attestation = (digest: string, subject: string): Descriptor => ({
    ...image(digest),
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: attestationFor(subject),
  });
  it.each<[string, Descriptor[], string[]]>([
    ['images only, in input order', [image(C), image(A), image(B)], [C, A, B]],
    [
      'attestations moved after images, stable',
      [attestation(D, A), image(A), attestation(E, B), image(B)],
      [A, B, D, E],
    ],
    ['attestations already last', [image(B), image(A), attestation(E, B), attestation(D, A)], [B, A, E, D]],
    ['attestations only', [attestation(E, B), attestation(D, A)], [E, D]],
    [
      'unknown/unknown without the annotation is an image',
      [{ ...image(A), platform: { os: 'unknown', architecture: 'unknown' } }, image(B)],
      [A, B],
    ],
  ])('%s', (_name, manifests, expected) => {
    const built = buildIndex({ mediaType: MediaType.OciIndex, manifests });
    const written = JSON.parse(utf8(built.bytes)) as { manifests: Descriptor[] };
    expect(written.manifests.map((d) => d.digest)).toStrictEqual(expected);
  });
});

describe('buildIndex size limit', () => {
  const padded = (length: number): IndexSpec => ({
    mediaType: MediaType.OciIndex,
    manifests: [],
    annotations: { pad: 'x'.repeat(length) },
  });
  const overhead = PADDED_OCI_INDEX.length - 'PAD'.length;

  it('accepts an index of exactly 4 MiB', () => {
    const built = buildIndex(padded(MAX_INDEX_BYTES - overhead));
    expect(built.size).toBe(4 * 1024 * 1024);
    expect(utf8(built.bytes)).toBe(PADDED_OCI_INDEX.replace('PAD', 'x'.repeat(MAX_INDEX_BYTES - overhead)));
  });

  it('rejects an index one byte over 4 MiB', () => {
    const attempt = (): unknown => buildIndex(padded(MAX_INDEX_BYTES - overhead + 1));
    expect(attempt).toThrow(IndexBuildError);
    expect(attempt).toThrow(
      'failed to build index: it is 4194305 bytes, registries accept at most 4194304 (4 MiB)',
    );
  });

  it('counts bytes, not characters', () => {
    // 'é' is 2 bytes in UTF-8, so the value fills 4 MiB with about half as many characters.
    const room = MAX_INDEX_BYTES - overhead;
    const value = 'é'.repeat(Math.floor(room / 2)) + 'x'.repeat(room % 2);
    const spec = (pad: string): IndexSpec => ({ ...padded(0), annotations: { pad } });
    expect(value.length).toBeLessThan(room);
    expect(buildIndex(spec(value)).size).toBe(MAX_INDEX_BYTES);
    expect(() => buildIndex(spec(`${value}é`))).toThrow('it is 4194306 bytes');
  });
});

describe('buildIndex rejects', () => {
  const docker = (fields: Partial<Descriptor> = {}): Descriptor => ({
    mediaType: MediaType.DockerManifest,
    digest: A,
    size: 528,
    platform: { os: 'linux', architecture: 'amd64' },
    ...fields,
  });
  it.each<[string, IndexSpec, string[]]>([
    [
      'a Docker list with index annotations',
      { mediaType: MediaType.DockerManifestList, manifests: [docker()], annotations: { a: 'b' } },
      [
        'failed to build Docker manifest list: a Docker manifest list cannot carry index annotations',
        'use the OCI index format',
      ],
    ],
    [
      'a Docker list with descriptor annotations',
      { mediaType: MediaType.DockerManifestList, manifests: [docker({ annotations: { a: 'b' } })] },
      [`child ${A} (linux/amd64) has annotations, which a Docker manifest list cannot carry`],
    ],
    [
      'a Docker list with an OCI child',
      {
        mediaType: MediaType.DockerManifestList,
        manifests: [
          docker(),
          docker({
            digest: B,
            mediaType: MediaType.OciManifest,
            platform: { os: 'linux', architecture: 'arm64' },
          }),
        ],
      },
      [
        `child ${B} (linux/arm64) has the non-Docker media type "${MediaType.OciManifest}"`,
        'use the OCI index format',
      ],
    ],
    [
      'a Docker list with an attestation',
      {
        mediaType: MediaType.DockerManifestList,
        manifests: [
          docker(),
          {
            mediaType: MediaType.OciManifest,
            digest: D,
            size: 1,
            annotations: attestationFor(A),
            platform: { os: 'unknown', architecture: 'unknown' },
          },
        ],
      },
      [`child ${D} (unknown/unknown) has the non-Docker media type`],
    ],
    [
      'a Docker list child without platform',
      { mediaType: MediaType.DockerManifestList, manifests: [docker({ digest: C, platform: undefined })] },
      [`child ${C} has no platform, which every Docker manifest list entry needs`],
    ],
    [
      'a duplicate child digest in an OCI index',
      {
        mediaType: MediaType.OciIndex,
        manifests: [docker(), docker({ platform: { os: 'linux', architecture: 'arm64' } })],
      },
      [`failed to build index: child ${A} (linux/arm64) is listed twice; each digest may appear once`],
    ],
    [
      'a duplicate child digest in a Docker list',
      { mediaType: MediaType.DockerManifestList, manifests: [docker(), docker()] },
      [`child ${A} (linux/amd64) is listed twice`],
    ],
  ])('%s', (_name, spec, messages) => {
    const attempt = (): unknown => buildIndex(spec);
    expect(attempt).toThrow(IndexBuildError);
    for (const message of messages) expect(attempt).toThrow(message);
  });
});

import { describe, expect, it } from '@jest/globals';
import { sha256Digest, type Digest } from '../../../src/oci/digest.js';
import { type ImageIndex, parseManifest } from '../../../src/oci/manifest.js';
import { MediaType } from '../../../src/oci/media-types.js';
import {
  cosignTags,
  referrerDescriptor,
  referrersTag,
  subjectOf,
  withReferrers,
} from '../../../src/oci/referrer-index.js';

const digestOf = (char: string): Digest => `sha256:${char.repeat(64)}`;
const SUBJECT = digestOf('a');

function raw(doc: object, mediaType: string = MediaType.OciManifest) {
  const bytes = Buffer.from(JSON.stringify(doc));
  return parseManifest({ mediaType, bytes, digest: sha256Digest(bytes) }, 'test');
}

const emptyConfig = { mediaType: MediaType.OciEmpty, digest: digestOf('e'), size: 2 };
const subject = { mediaType: MediaType.OciManifest, digest: SUBJECT, size: 100 };

describe('tag names', () => {
  it('names the referrers tag and cosign tags after the digest', () => {
    expect(referrersTag(SUBJECT)).toBe(`sha256-${'a'.repeat(64)}`);
    expect(cosignTags(SUBJECT)).toEqual(
      ['.sig', '.att', '.sbom'].map((suffix) => `sha256-${'a'.repeat(64)}${suffix}`),
    );
  });
});

describe('referrerDescriptor', () => {
  it.each([
    [
      'the manifest artifactType and its annotations',
      {
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        artifactType: 'application/spdx+json',
        config: emptyConfig,
        layers: [],
        subject,
        annotations: { created: 'today' },
      },
      { artifactType: 'application/spdx+json', annotations: { created: 'today' } },
    ],
    [
      "the config's media type when the manifest has no artifactType",
      {
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: { ...emptyConfig, mediaType: 'application/vnd.example.sig.config+json' },
        layers: [],
        subject,
      },
      { artifactType: 'application/vnd.example.sig.config+json' },
    ],
  ])('takes %s', (_case, doc, expected) => {
    const parsed = raw(doc);
    expect(referrerDescriptor(parsed)).toEqual({
      mediaType: MediaType.OciManifest,
      digest: parsed.raw.digest,
      size: parsed.raw.bytes.byteLength,
      ...expected,
    });
    expect(subjectOf(parsed)).toBe(SUBJECT);
  });

  it('gives an index without artifactType none', () => {
    const parsed = raw(
      { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [], subject },
      MediaType.OciIndex,
    );
    expect(referrerDescriptor(parsed).artifactType).toBeUndefined();
  });
});

describe('withReferrers', () => {
  const entry = (char: string) => ({
    mediaType: MediaType.OciManifest,
    digest: digestOf(char),
    size: 10,
    artifactType: 'application/spdx+json',
  });

  it('starts a referrers index, new entries in digest order', () => {
    const built = withReferrers(undefined, [entry('c'), entry('b'), entry('c')]);
    expect(built?.mediaType).toBe(MediaType.OciIndex);
    const doc = JSON.parse(Buffer.from(built!.bytes).toString('utf8')) as ImageIndex;
    expect(doc.manifests.map((d) => d.digest)).toEqual([digestOf('b'), digestOf('c')]);
    expect(doc.manifests[0]).toEqual(entry('b'));
  });

  it('keeps what the existing index lists, in its order, and its annotations', () => {
    const existing: ImageIndex = {
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [entry('d'), entry('b')],
      annotations: { kept: 'yes' },
    };
    const built = withReferrers(existing, [entry('b'), entry('c')]);
    const doc = JSON.parse(Buffer.from(built!.bytes).toString('utf8')) as ImageIndex;
    expect(doc.manifests.map((d) => d.digest)).toEqual([digestOf('d'), digestOf('b'), digestOf('c')]);
    expect(doc.annotations).toEqual({ kept: 'yes' });
  });

  it('is undefined when every referrer is listed already', () => {
    const existing: ImageIndex = { schemaVersion: 2, manifests: [entry('b')] };
    expect(withReferrers(existing, [entry('b')])).toBeUndefined();
  });
});

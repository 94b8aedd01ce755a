import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sha256Digest } from '../../../testkit/digest.js';
import { seedBuildxIndex } from '../../../testkit/images.js';
import { parseJsonBytes } from '../../../testkit/json.js';
import { MEDIA_TYPES } from '../../../testkit/media-types.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Record<string, string>;
}

const repo = 'harness/buildx';

let registry: TestRegistry;
let raw: RawRegistry;

beforeAll(async () => {
  // Token mode: the attestation blobs and manifests must get through a scoped token too.
  registry = await startRegistry({ auth: 'token' });
  raw = new RawRegistry(registry);
});

afterAll(async () => {
  await registry.stop();
});

describe('a buildx-style index', () => {
  it('round-trips with the images first and one attestation per image after them', async () => {
    const seeded = await seedBuildxIndex(raw, {
      repo,
      tag: 'latest',
      images: [
        { architecture: 'amd64' },
        { architecture: 'arm64', variant: 'v8' },
        { architecture: 'arm', variant: 'v7' },
      ],
    });

    const fetched = await raw.getManifest(repo, 'latest');
    expect(fetched).toMatchObject({ status: 200, mediaType: MEDIA_TYPES.ociIndex, digest: seeded.digest });
    expect(Buffer.from(fetched.bytes).equals(Buffer.from(seeded.bytes))).toBe(true);
    const { manifests } = parseJsonBytes<{ manifests: Descriptor[] }>(fetched.bytes);
    const [images, attestations] = [seeded.children, seeded.attestations];
    expect(manifests).toEqual([
      ...images.map((image) => ({
        mediaType: MEDIA_TYPES.ociManifest,
        digest: image.digest,
        size: image.size,
        platform: { architecture: image.platform.architecture, os: 'linux', variant: image.platform.variant },
      })),
      ...attestations.map((attestation, index) => ({
        mediaType: MEDIA_TYPES.ociManifest,
        digest: attestation.digest,
        size: attestation.size,
        annotations: {
          'vnd.docker.reference.digest': images[index]?.digest,
          'vnd.docker.reference.type': 'attestation-manifest',
        },
        platform: { architecture: 'unknown', os: 'unknown' },
      })),
    ]);
    expect(images.map((image) => image.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
  });

  it('has attestation manifests whose in-toto statement names their image', async () => {
    const seeded = await seedBuildxIndex(raw, {
      repo,
      images: [{ architecture: 's390x' }],
      salt: 'statement',
    });
    const [image, attestation] = [seeded.children[0], seeded.attestations[0]];

    const fetched = await raw.getManifest(repo, attestation?.digest ?? '');
    expect(fetched).toMatchObject({ status: 200, mediaType: MEDIA_TYPES.ociManifest });
    const manifest = parseJsonBytes<{ config: Descriptor; layers: Descriptor[] }>(fetched.bytes);
    expect(manifest.config).toMatchObject({
      mediaType: MEDIA_TYPES.attestationConfig,
      digest: attestation?.configDigest,
    });
    expect(manifest.layers).toEqual([
      {
        mediaType: MEDIA_TYPES.inToto,
        digest: attestation?.layerDigests[0],
        size: expect.any(Number),
        annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
      },
    ]);
    const statementBytes = await raw.getBlob(repo, manifest.layers[0]?.digest ?? '');
    expect(sha256Digest(statementBytes)).toBe(manifest.layers[0]?.digest);
    expect(parseJsonBytes(statementBytes)).toMatchObject({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject: [{ digest: { sha256: image?.digest.slice('sha256:'.length) } }],
    });
    expect(Buffer.from(await raw.getBlob(repo, attestation?.configDigest ?? '')).toString()).toBe('{}');
  });
});

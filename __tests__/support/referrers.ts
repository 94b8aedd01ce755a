// Seeds what signers and SBOM tools leave beside an image: a cosign-style signature under `sha256-<hex>.sig`, and
// an SBOM artifact attached by `subject` together with the referrers tag `sha256-<hex>` listing it (distribution
// 2.8 has no referrers API and keeps no such tag itself: clients do, as the OCI 1.1 spec asks).
import { sha256Digest } from '../../testkit/digest.js';
import { jsonBytes } from '../../testkit/json.js';
import { MEDIA_TYPES } from '../../testkit/media-types.js';
import type { RawRegistry } from '../../testkit/raw-registry.js';

/** A manifest the harness pushed beside an image, as a test checks its copies. */
export interface SeededReferrer {
  repo: string;
  digest: string;
  mediaType: string;
  size: number;
  /** The tag it was pushed under, for the tag forms. */
  tag?: string;
  blobDigests: string[];
}

/** What the referrers tag of a subject must list for `referrer`, as the spec fills the descriptor. */
export interface ReferrerEntry {
  mediaType: string;
  digest: string;
  size: number;
  artifactType: string;
  annotations?: Record<string, string>;
}

export const SBOM_TYPE = 'application/spdx+json';
const EMPTY_TYPE = 'application/vnd.oci.empty.v1+json';
const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';

/** `sha256-<hex>` plus `suffix`: the tag forms of referrers. */
export const digestTag = (digest: string, suffix = ''): string => `${digest.replace(':', '-')}${suffix}`;

/**
 * A cosign-style signature of `subject` (a manifest in `repo`): a simple-signing payload layer with its signature
 * annotation, under `sha256-<hex>.sig`. No `subject` field: cosign finds it by tag.
 */
export async function seedCosignSignature(
  registry: RawRegistry,
  repo: string,
  subject: { digest: string },
): Promise<SeededReferrer> {
  const payload = jsonBytes({
    critical: {
      identity: { 'docker-reference': repo },
      image: { 'docker-manifest-digest': subject.digest },
      type: 'cosign container image signature',
    },
    optional: null,
  });
  const [config, layer] = await Promise.all([
    registry.putBlob(repo, jsonBytes({ architecture: '', os: '', rootfs: { type: 'layers', diff_ids: [] } })),
    registry.putBlob(repo, payload),
  ]);
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, ...config },
    layers: [
      {
        mediaType: SIMPLE_SIGNING,
        ...layer,
        annotations: { 'dev.cosignproject.cosign/signature': 'MEUCIQDtest-signature' },
      },
    ],
  };
  const tag = digestTag(subject.digest, '.sig');
  const bytes = jsonBytes(manifest);
  const digest = await registry.putManifest(repo, tag, MEDIA_TYPES.ociManifest, bytes);
  return {
    repo,
    digest,
    mediaType: MEDIA_TYPES.ociManifest,
    size: bytes.byteLength,
    tag,
    blobDigests: [config.digest, layer.digest],
  };
}

/**
 * An SPDX SBOM artifact about `subject` (OCI 1.1: `artifactType`, the empty config, `subject`), pushed by digest,
 * and the referrers tag `sha256-<hex>` of the subject written as a client must on a registry without the API
 * (listing this SBOM only). `creator` makes SBOMs of one subject differ.
 */
export async function seedSbom(
  registry: RawRegistry,
  repo: string,
  subject: { digest: string; mediaType: string; size: number },
  creator = 'multiarch-publish test harness',
): Promise<SeededReferrer & { entry: ReferrerEntry }> {
  const sbom = jsonBytes({
    spdxVersion: 'SPDX-2.3',
    name: `sbom of ${subject.digest}`,
    creationInfo: { creators: [`Tool: ${creator}`] },
    packages: [],
  });
  const [config, layer] = await Promise.all([
    registry.putBlob(repo, jsonBytes({})),
    registry.putBlob(repo, sbom),
  ]);
  const annotations = { 'org.opencontainers.image.created': '2026-11-01T00:00:00Z' };
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    artifactType: SBOM_TYPE,
    config: { mediaType: EMPTY_TYPE, ...config },
    layers: [{ mediaType: SBOM_TYPE, ...layer }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations,
  };
  const bytes = jsonBytes(manifest);
  const digest = await registry.putManifest(repo, sha256Digest(bytes), MEDIA_TYPES.ociManifest, bytes);
  const entry: ReferrerEntry = {
    mediaType: MEDIA_TYPES.ociManifest,
    digest,
    size: bytes.byteLength,
    artifactType: SBOM_TYPE,
    annotations,
  };
  const index = jsonBytes({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [entry] });
  await registry.putManifest(repo, digestTag(subject.digest), MEDIA_TYPES.ociIndex, index);
  return {
    repo,
    digest,
    mediaType: MEDIA_TYPES.ociManifest,
    size: bytes.byteLength,
    blobDigests: [config.digest, layer.digest],
    entry,
  };
}

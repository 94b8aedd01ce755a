// The images of testkit/images.ts (one factory) in a MemoryRegistry, plus the indexes and buildx attestations
// the use case's tests need. `salt` makes otherwise equal images distinct.
import type { Descriptor, RawManifest } from '../../src/oci/manifest.js';
import type { RepositoryName } from '../../src/oci/reference.js';
import type { MemoryRegistry } from './memory-registry.js';
import { imageManifest, imageParts } from '../../testkit/images.js';
import { layeredImageParts, layeredManifest, type LayeredImageSpec } from '../../testkit/layered-image.js';
import { MEDIA_TYPES } from '../../testkit/media-types.js';

export interface ImageSpec {
  os?: string;
  architecture: string;
  variant?: string;
  osVersion?: string;
  format?: 'oci' | 'docker';
  tag?: string;
  salt?: string;
}

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const { ociManifest: OCI_MANIFEST, ociIndex: OCI_INDEX, dockerManifestList: DOCKER_LIST } = MEDIA_TYPES;

/** The image `imageParts` makes for `spec`, stored in `repo` (and under `spec.tag`). */
export function memoryImage(reg: MemoryRegistry, repo: RepositoryName, spec: ImageSpec): RawManifest {
  const parts = imageParts(spec);
  const config = reg.blob(repo, parts.types.config, parts.config);
  const layer = reg.blob(repo, parts.types.layer, parts.layer);
  return reg.manifest(repo, parts.types.manifest, imageManifest(parts, config, layer), spec.tag);
}

/** A buildx-style attestation manifest for `subject`, and its index descriptor. */
export function memoryAttestation(
  reg: MemoryRegistry,
  repo: RepositoryName,
  subject: RawManifest,
): Descriptor {
  const layer = reg.blob(
    repo,
    'application/vnd.in-toto+json',
    encode({ _type: 'statement', subject: subject.digest }),
  );
  const config = reg.blob(
    repo,
    'application/vnd.oci.image.config.v1+json',
    encode({ architecture: 'unknown', os: 'unknown' }),
  );
  const raw = reg.manifest(repo, OCI_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config,
    layers: [layer],
  });
  return {
    mediaType: OCI_MANIFEST,
    digest: raw.digest,
    size: raw.bytes.length,
    platform: { architecture: 'unknown', os: 'unknown' },
    annotations: {
      'vnd.docker.reference.digest': subject.digest,
      'vnd.docker.reference.type': 'attestation-manifest',
    },
  };
}

export function descriptorOf(raw: RawManifest, platform?: Descriptor['platform']): Descriptor {
  return {
    mediaType: raw.mediaType,
    digest: raw.digest,
    size: raw.bytes.length,
    ...(platform ? { platform } : {}),
  };
}

export function memoryIndex(
  reg: MemoryRegistry,
  repo: RepositoryName,
  manifests: Descriptor[],
  options: { tag?: string; format?: 'oci' | 'docker' } = {},
): RawManifest {
  const mediaType = options.format === 'docker' ? DOCKER_LIST : OCI_INDEX;
  return reg.manifest(repo, mediaType, { schemaVersion: 2, mediaType, manifests }, options.tag);
}

/** The image of `layeredImageParts(spec)` (several layers, any compression), stored in `repo` under `tag`. */
export function memoryLayeredImage(
  reg: MemoryRegistry,
  repo: RepositoryName,
  tag: string,
  spec: LayeredImageSpec,
): RawManifest {
  const parts = layeredImageParts(spec);
  const config = reg.blob(repo, MEDIA_TYPES.ociConfig, parts.config);
  const layers = parts.layers.map((layer) => reg.blob(repo, layer.mediaType, layer.bytes));
  return reg.manifest(repo, OCI_MANIFEST, layeredManifest(parts, config, layers), tag);
}

// Small, real-shaped images in a MemoryRegistry: a config blob that says the platform, one layer,
// and an OCI or Docker schema 2 manifest. `salt` makes otherwise equal images distinct.
import type { Descriptor, RawManifest } from '../../src/oci/manifest.js';
import type { RepositoryName } from '../../src/oci/reference.js';
import type { MemoryRegistry } from './memory-registry.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

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

export function memoryImage(reg: MemoryRegistry, repo: RepositoryName, spec: ImageSpec): RawManifest {
  const docker = spec.format === 'docker';
  const platform = {
    architecture: spec.architecture,
    os: spec.os ?? 'linux',
    ...(spec.variant ? { variant: spec.variant } : {}),
    ...(spec.osVersion ? { 'os.version': spec.osVersion } : {}),
  };
  const layer = reg.blob(
    repo,
    docker
      ? 'application/vnd.docker.image.rootfs.diff.tar.gzip'
      : 'application/vnd.oci.image.layer.v1.tar+gzip',
    encode({ layer: platform, salt: spec.salt ?? '' }),
  );
  const config = reg.blob(
    repo,
    docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json',
    encode({ ...platform, rootfs: { type: 'layers', diff_ids: [layer.digest] } }),
  );
  const mediaType = docker ? DOCKER_MANIFEST : OCI_MANIFEST;
  return reg.manifest(repo, mediaType, { schemaVersion: 2, mediaType, config, layers: [layer] }, spec.tag);
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

import type { Descriptor, RawManifest } from '../oci/manifest.js';
import { formatRepository, type RepositoryName } from '../oci/reference.js';
import type { OciLayout } from '../layout/oci-layout.js';
import type { BlobTransfer, RegistryApi } from '../registry/api.js';

/** Where a child's manifest and blobs are read from: a registry repository, or an OCI layout on disk. */
export interface ContentOrigin {
  /** For messages: `ghcr.io/acme/app` or `oci-layout:build/amd64`. */
  readonly name: string;
  /** The repository, when the content is in one (a child read from a target is already there). */
  readonly repository?: RepositoryName;
  /** A manifest by digest (or, for a repository, by tag), exact bytes, verified. */
  getManifest(reference: string): Promise<RawManifest>;
  readBlob(descriptor: Descriptor, maxBytes: number): Promise<Uint8Array>;
  /** Makes the blob present in `to`: already there, mounted, or streamed across. */
  copyBlobTo(to: RepositoryName, descriptor: Descriptor): Promise<BlobTransfer>;
}

export function repositoryOrigin(registry: RegistryApi, repository: RepositoryName): ContentOrigin {
  const repo = { registry: repository.registry, repository: repository.repository };
  return {
    name: formatRepository(repo),
    repository: repo,
    getManifest: (reference) => registry.getManifest(repo, reference),
    readBlob: (descriptor, maxBytes) => registry.readBlob(repo, descriptor, maxBytes),
    copyBlobTo: (to, descriptor) => registry.copyBlob(repo, to, descriptor),
  };
}

export function layoutOrigin(registry: RegistryApi, layout: OciLayout): ContentOrigin {
  return {
    name: layout.name,
    getManifest: (reference) => layout.manifest(reference as Descriptor['digest']),
    readBlob: (descriptor, maxBytes) => layout.readBlob(descriptor, maxBytes),
    copyBlobTo: (to, descriptor) =>
      registry.uploadBlob(to, descriptor, { name: layout.name, open: () => layout.openBlob(descriptor) }),
  };
}

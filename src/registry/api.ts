import type { Digest } from '../oci/digest.js';
import type { Descriptor, RawManifest } from '../oci/manifest.js';
import type { RepositoryName } from '../oci/reference.js';

/** What a manifest HEAD tells: enough to compare digests without downloading. */
export interface ManifestInfo {
  mediaType: string;
  digest: Digest;
  size: number;
}

/** How a blob reached a repository. */
export type BlobTransfer = 'present' | 'mounted' | 'copied';

/** A blob that is not in a registry (a file in an OCI layout), streamed on demand. */
export interface LocalBlob {
  /** Where it is, for messages: `oci-layout:build/amd64`. */
  name: string;
  /** A fresh stream of exactly the blob's bytes; called again for a retry. */
  open(): NodeJS.ReadableStream;
}

export interface RepositoryAccess {
  repository: RepositoryName;
  push: boolean;
}

/**
 * The registry operations the publish use case needs. One instance serves every registry of a run;
 * the HTTP client implements it, and nothing above it knows about HTTP.
 */
export interface RegistryApi {
  /** Tells the client every repository the run will touch, so the first token per registry covers all. */
  declareAccess(access: RepositoryAccess[]): void;
  /** The manifest at `reference` (tag or digest), or undefined when the registry has none. */
  headManifest(repo: RepositoryName, reference: string): Promise<ManifestInfo | undefined>;
  /** The manifest's exact bytes, digest computed locally and verified. */
  getManifest(repo: RepositoryName, reference: string): Promise<RawManifest>;
  /** Pushes the exact bytes under `reference`; returns the digest the registry stored. */
  putManifest(repo: RepositoryName, reference: string, manifest: RawManifest): Promise<Digest>;
  /**
   * Removes the tag (not the manifest it points at). Registries that do not allow it refuse with an error
   * (distribution: 405 UNSUPPORTED, or 400 when it only deletes by digest).
   */
  deleteTag(repo: RepositoryName, tag: string): Promise<void>;
  hasBlob(repo: RepositoryName, digest: Digest): Promise<boolean>;
  /** A small blob (a config) read into memory, size- and digest-verified, at most `maxBytes`. */
  readBlob(repo: RepositoryName, descriptor: Descriptor, maxBytes: number): Promise<Uint8Array>;
  /** Makes the blob present in `to`: already there, mounted from `from`, or streamed across. */
  copyBlob(from: RepositoryName, to: RepositoryName, descriptor: Descriptor): Promise<BlobTransfer>;
  /** Makes a local blob present in `to`: already there, or streamed up (verified on the way). */
  uploadBlob(to: RepositoryName, descriptor: Descriptor, blob: LocalBlob): Promise<BlobTransfer>;
  close(): Promise<void>;
}

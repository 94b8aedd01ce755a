import type { ContentSource } from '../oci/content-source.js';
import type { Digest } from '../oci/digest.js';
import type { Descriptor, RawManifest } from '../oci/manifest.js';
import type { RepositoryName } from '../oci/reference.js';
import type { RepositoryAccess } from './auth/scopes.js';

/** What a manifest HEAD tells: enough to compare digests without downloading. */
export interface ManifestInfo {
  mediaType: string;
  digest: Digest;
  size: number;
}

/** How a blob reached a repository. */
export type BlobTransfer = 'present' | 'mounted' | 'copied';

/** What a referrer's PUT stored, and whether the registry indexed its subject. */
export interface PushedReferrer {
  digest: Digest;
  subjectIndexed: boolean;
}

export type { RepositoryAccess };

/**
 * The registry operations the publish use case needs. One instance serves every registry of a run;
 * the HTTP client implements it, and nothing above it knows about HTTP.
 */
export interface RegistryApi {
  /** Tells the client every repository the run will touch, so the first token per registry covers all. */
  declareAccess(access: RepositoryAccess[]): void;
  /** The manifest at `reference` (tag or digest), or undefined when the registry has none. */
  headManifest(repo: RepositoryName, reference: string): Promise<ManifestInfo | undefined>;
  /** The repository as a content source: its manifests (by tag or digest) and blobs, read and verified. */
  source(repo: RepositoryName): ContentSource;
  /** Pushes the exact bytes under `reference`; returns the digest the registry stored. */
  putManifest(repo: RepositoryName, reference: string, manifest: RawManifest): Promise<Digest>;
  /**
   * Removes the tag (not the manifest it points at). Registries that do not allow it refuse with an error
   * (distribution: 405 UNSUPPORTED, or 400 when it only deletes by digest).
   */
  deleteTag(repo: RepositoryName, tag: string): Promise<void>;
  /** Whether the registry is known, before asking, to delete tags through its API (GHCR and Docker Hub do not). */
  deletesTags(repo: RepositoryName): boolean;
  /**
   * Pushes a manifest that may have a `subject`; says whether the registry indexed that subject for its referrers
   * API (the `OCI-Subject` answer). When it did not, the referrers tag is the client's to keep.
   */
  putReferrer(repo: RepositoryName, reference: string, manifest: RawManifest): Promise<PushedReferrer>;
  /** What refers to `subject` (optionally of one artifact type), or undefined when the registry has no referrers API. */
  referrers(repo: RepositoryName, subject: Digest, artifactType?: string): Promise<Descriptor[] | undefined>;
  /** Every tag of the repository, or undefined when the registry does not list them (401, 403, 404). */
  listTags(repo: RepositoryName): Promise<string[] | undefined>;
  /**
   * Makes the blob present in `to`: already there, mounted (when `from` is another repository of the same
   * registry), or streamed from `from` and verified on the way.
   */
  copyBlob(from: ContentSource, to: RepositoryName, descriptor: Descriptor): Promise<BlobTransfer>;
  /** Ends the run's use of the registries: copies still under way are waited for, then connections close. */
  close(): Promise<void>;
}

import type { Descriptor, RawManifest } from './manifest.js';
import type { RepositoryName } from './reference.js';

/**
 * Where manifests and blobs are read from: a registry repository or an OCI layout on disk. Resolving, verifying
 * and copying are written once against this and never ask which backend they have.
 */
export interface ContentSource {
  /** For messages: `ghcr.io/acme/app` or `oci-layout:build/amd64`. */
  readonly name: string;
  /** The repository, when the content is in one: a copy to the same registry can then mount instead of stream. */
  readonly repository?: RepositoryName;
  /** A manifest by digest (a registry also takes a tag): exact bytes, digest verified. */
  manifest(reference: string): Promise<RawManifest>;
  /** A small blob (a config) in memory, size- and digest-verified, refused when larger than `maxBytes`. */
  readBlob(descriptor: Descriptor, maxBytes: number): Promise<Uint8Array>;
  /**
   * A fresh stream of the blob's bytes, for a copy (called again when the copy is retried). Not verified here:
   * the copy verifies size and digest on the way.
   */
  openBlob(descriptor: Descriptor): Promise<NodeJS.ReadableStream>;
}

/** An OCI image layout opened as content: its index.json is the source's root; closed when the run ends. */
export interface LayoutContent extends ContentSource {
  /** index.json as stored: exact bytes, its media type, the digest of those bytes. */
  index(): Promise<RawManifest>;
  close(): Promise<void>;
}

/** Opens the OCI layout at `path` (directory or tar), called `name` in messages. */
export type LayoutOpener = (path: string, name?: string) => Promise<LayoutContent>;

/**
 * `from` with its blob reads replaced by `reads` (each given one defaults to `from`'s): the same name and repository,
 * so a copy can still mount from it.
 */
export function readingBlobsThrough(
  from: ContentSource,
  reads: Partial<Pick<ContentSource, 'readBlob' | 'openBlob'>>,
): ContentSource {
  return {
    name: from.name,
    ...(from.repository === undefined ? {} : { repository: from.repository }),
    manifest: (reference) => from.manifest(reference),
    readBlob: reads.readBlob ?? ((descriptor, maxBytes) => from.readBlob(descriptor, maxBytes)),
    openBlob: reads.openBlob ?? ((descriptor) => from.openBlob(descriptor)),
  };
}

// An in-memory registry behind the RegistryApi interface, for fast tests of the publish use case.
// Like a real registry it stores exact bytes, and refuses a manifest whose children or blobs are
// not in the same repository (MANIFEST_BLOB_UNKNOWN). Real-registry behaviour is proven elsewhere.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type {
  BlobTransfer,
  ManifestInfo,
  PushedReferrer,
  RegistryApi,
  RepositoryAccess,
} from '../../src/registry/api.js';
import type { ContentSource } from '../../src/oci/content-source.js';
import type { Digest } from '../../src/oci/digest.js';
import type { Descriptor, RawManifest } from '../../src/oci/manifest.js';
import type { RepositoryName } from '../../src/oci/reference.js';
import { RegistryError } from '../../src/registry/http/registry-error.js';

interface Repo {
  manifests: Map<string, RawManifest>;
  tags: Map<string, Digest>;
  blobs: Map<string, Uint8Array>;
}

const key = (repo: RepositoryName): string => `${repo.registry}/${repo.repository}`;

export const sha256 = (bytes: Uint8Array): Digest =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const METHODS: Record<string, string> = { read: 'GET', push: 'PUT', delete: 'DELETE' };

/**
 * The error the real client raises for the same answer (`what` as the client words it: "read manifest …"), so
 * the use case's not-found and refused paths run as they do against a registry.
 */
export function registryError(
  what: string,
  name: RepositoryName,
  status: number,
  code: string,
): RegistryError {
  return new RegistryError(`failed to ${what}: ${status} ${code}`, {
    method: METHODS[what.split(' ')[0]!] ?? 'GET',
    url: `https://${name.registry}/v2/${name.repository}/`,
    status,
    errors: [{ code }],
  });
}

export class MemoryRegistry implements RegistryApi {
  readonly repos = new Map<string, Repo>();
  readonly writes: string[] = [];
  /** Every manifest HEAD, as `registry/repo:reference`. */
  readonly heads: string[] = [];
  /** Manifest PUTs refused: `registry/repo:reference` → what the PUT throws. */
  readonly refusals = new Map<string, Error>();
  /** Repositories (`registry/repo`) whose referrers lookups are refused (403 DENIED), their images readable. */
  readonly refusesReferrers = new Set<string>();
  /** False: tag deletes are refused, as distribution refuses them. */
  tagDeletes = true;
  /** What the client knows before asking (false: a registry known not to delete tags, as GHCR). */
  knownToDeleteTags = true;
  access: RepositoryAccess[] = [];

  repo(name: RepositoryName): Repo {
    let repo = this.repos.get(key(name));
    if (!repo) {
      repo = { manifests: new Map(), tags: new Map(), blobs: new Map() };
      this.repos.set(key(name), repo);
    }
    return repo;
  }

  declareAccess(access: RepositoryAccess[]): void {
    this.access = access;
  }

  private find(name: RepositoryName, reference: string): RawManifest | undefined {
    const repo = this.repo(name);
    const digest = reference.startsWith('sha256:') ? reference : repo.tags.get(reference);
    return digest === undefined ? undefined : repo.manifests.get(digest);
  }

  async headManifest(name: RepositoryName, reference: string): Promise<ManifestInfo | undefined> {
    this.heads.push(`${key(name)}:${reference}`);
    const raw = this.find(name, reference);
    return raw && { mediaType: raw.mediaType, digest: raw.digest, size: raw.bytes.length };
  }

  source(name: RepositoryName): ContentSource {
    const repository = { registry: name.registry, repository: name.repository };
    return {
      name: key(repository),
      repository,
      manifest: async (reference) => {
        const raw = this.find(repository, reference);
        if (!raw)
          throw registryError(
            `read manifest ${key(repository)}:${reference}`,
            repository,
            404,
            'MANIFEST_UNKNOWN',
          );
        return raw;
      },
      readBlob: async (descriptor) => this.storedBlob(repository, descriptor),
      openBlob: async (descriptor) => Readable.from([this.storedBlob(repository, descriptor)]),
    };
  }

  async putManifest(name: RepositoryName, reference: string, manifest: RawManifest): Promise<Digest> {
    const refusal = this.refusals.get(`${key(name)}:${reference}`);
    if (refusal !== undefined) throw refusal;
    const repo = this.repo(name);
    const doc = JSON.parse(new TextDecoder().decode(manifest.bytes)) as {
      manifests?: Descriptor[];
      config?: Descriptor;
      layers?: Descriptor[];
    };
    for (const child of doc.manifests ?? []) {
      if (!repo.manifests.has(child.digest))
        throw registryError(`push manifest ${key(name)}:${reference}`, name, 400, 'MANIFEST_BLOB_UNKNOWN');
    }
    for (const blob of [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])]) {
      if (!repo.blobs.has(blob.digest))
        throw registryError(`push manifest ${key(name)}:${reference}`, name, 400, 'MANIFEST_BLOB_UNKNOWN');
    }
    repo.manifests.set(manifest.digest, manifest);
    if (!reference.startsWith('sha256:')) repo.tags.set(reference, manifest.digest);
    this.writes.push(`${key(name)}:${reference}`);
    return manifest.digest;
  }

  deletesTags(): boolean {
    return this.knownToDeleteTags;
  }

  async deleteTag(name: RepositoryName, tag: string): Promise<void> {
    if (!this.tagDeletes) throw registryError(`delete tag ${key(name)}:${tag}`, name, 405, 'UNSUPPORTED');
    if (!this.repo(name).tags.delete(tag))
      throw registryError(`delete tag ${key(name)}:${tag}`, name, 404, 'MANIFEST_UNKNOWN');
    this.writes.push(`delete ${key(name)}:${tag}`);
  }

  /** Like distribution 2.8: no referrers API, so subjects are never indexed. */
  async putReferrer(name: RepositoryName, reference: string, manifest: RawManifest): Promise<PushedReferrer> {
    return { digest: await this.putManifest(name, reference, manifest), subjectIndexed: false };
  }

  async referrers(name: RepositoryName, subject: Digest): Promise<Descriptor[] | undefined> {
    if (this.refusesReferrers.has(key(name))) {
      throw registryError(`list referrers of ${key(name)}@${subject}`, name, 403, 'DENIED');
    }
    return undefined;
  }

  async listTags(name: RepositoryName): Promise<string[]> {
    return [...this.repo(name).tags.keys()];
  }

  private storedBlob(name: RepositoryName, descriptor: Descriptor): Uint8Array {
    const blob = this.repo(name).blobs.get(descriptor.digest);
    if (!blob) throw registryError(`read blob ${key(name)}@${descriptor.digest}`, name, 404, 'BLOB_UNKNOWN');
    return blob;
  }

  async copyBlob(from: ContentSource, to: RepositoryName, descriptor: Descriptor): Promise<BlobTransfer> {
    if (this.repo(to).blobs.has(descriptor.digest)) return 'present';
    const chunks: Uint8Array[] = [];
    for await (const chunk of (await from.openBlob(descriptor)) as AsyncIterable<Uint8Array>)
      chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    if (sha256(bytes) !== descriptor.digest) throw new Error(`DIGEST_INVALID copying ${descriptor.digest}`);
    this.repo(to).blobs.set(descriptor.digest, bytes);
    this.writes.push(`${key(to)}@${descriptor.digest}`);
    return from.repository?.registry === to.registry ? 'mounted' : 'copied';
  }

  async close(): Promise<void> {}

  /** Stores a blob and returns its descriptor. */
  blob(name: RepositoryName, mediaType: string, bytes: Uint8Array): Descriptor {
    const digest = sha256(bytes);
    this.repo(name).blobs.set(digest, bytes);
    return { mediaType, digest, size: bytes.length };
  }

  /** Stores manifest bytes (children must be there) and optionally tags them. */
  manifest(name: RepositoryName, mediaType: string, json: unknown, tag?: string): RawManifest {
    const bytes = new TextEncoder().encode(JSON.stringify(json));
    const raw = { mediaType, bytes, digest: sha256(bytes) };
    const repo = this.repo(name);
    repo.manifests.set(raw.digest, raw);
    if (tag) repo.tags.set(tag, raw.digest);
    return raw;
  }

  tagOf(name: RepositoryName, tag: string): Digest | undefined {
    return this.repo(name).tags.get(tag);
  }
}

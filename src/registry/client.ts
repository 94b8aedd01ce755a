import type { Digest } from '../oci/digest.js';
import type { Descriptor, RawManifest } from '../oci/manifest.js';
import type { RepositoryName } from '../oci/reference.js';
import type { BlobTransfer, LocalBlob, ManifestInfo, RegistryApi, RepositoryAccess } from './api.js';
import { BlobCopier } from './blob-copy.js';
import { hasBlob, readBlob } from './blobs.js';
import type { Logger } from './logger.js';
import { getManifest, headManifest, putManifest } from './manifests.js';
import type { RetryPolicy } from './retry.js';
import type { RegistrySession } from './session.js';

export interface RegistryClientOptions {
  session: RegistrySession;
  logger: Logger;
  /** Paces retries of whole blob copies (single requests are retried by the transport). */
  retry: RetryPolicy;
}

/** The registry operations of a run over HTTP, for every registry it touches (see RegistryApi). */
export class RegistryClient implements RegistryApi {
  readonly #session: RegistrySession;
  readonly #copier: BlobCopier;

  constructor(options: RegistryClientOptions) {
    this.#session = options.session;
    this.#copier = new BlobCopier(options);
  }

  declareAccess(access: RepositoryAccess[]): void {
    this.#session.declare(access);
  }

  headManifest(repo: RepositoryName, reference: string): Promise<ManifestInfo | undefined> {
    return headManifest(this.#session, repo, reference);
  }

  getManifest(repo: RepositoryName, reference: string): Promise<RawManifest> {
    return getManifest(this.#session, repo, reference);
  }

  putManifest(repo: RepositoryName, reference: string, manifest: RawManifest): Promise<Digest> {
    return putManifest(this.#session, repo, reference, manifest);
  }

  hasBlob(repo: RepositoryName, digest: Digest): Promise<boolean> {
    return hasBlob(this.#session, repo, digest);
  }

  readBlob(repo: RepositoryName, descriptor: Descriptor, maxBytes: number): Promise<Uint8Array> {
    return readBlob(this.#session, repo, descriptor, maxBytes);
  }

  copyBlob(from: RepositoryName, to: RepositoryName, descriptor: Descriptor): Promise<BlobTransfer> {
    return this.#copier.copy(from, to, descriptor);
  }

  uploadBlob(to: RepositoryName, descriptor: Descriptor, blob: LocalBlob): Promise<BlobTransfer> {
    return this.#copier.upload(to, descriptor, blob);
  }

  close(): Promise<void> {
    return this.#session.close();
  }
}

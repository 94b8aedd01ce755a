import type { ContentSource } from '../oci/content-source.js';
import type { Descriptor, RawManifest } from '../oci/manifest.js';
import { formatRepository, type RepositoryName } from '../oci/reference.js';
import { openBlobStream, readBlob } from './blobs.js';
import { getManifest } from './manifests.js';
import type { RegistrySession } from './auth/session.js';

/** A registry repository as a content source: manifests and blobs read over the run's session. */
export class RepositorySource implements ContentSource {
  readonly name: string;
  readonly repository: RepositoryName;
  readonly #session: RegistrySession;

  constructor(session: RegistrySession, repository: RepositoryName) {
    // A reference's tag or digest is not part of where the content lives.
    this.repository = { registry: repository.registry, repository: repository.repository };
    this.name = formatRepository(this.repository);
    this.#session = session;
  }

  manifest(reference: string): Promise<RawManifest> {
    return getManifest(this.#session, this.repository, reference);
  }

  readBlob(descriptor: Descriptor, maxBytes: number): Promise<Uint8Array> {
    return readBlob(this.#session, this.repository, descriptor, maxBytes);
  }

  async openBlob(descriptor: Descriptor): Promise<NodeJS.ReadableStream> {
    return (await openBlobStream(this.#session, this.repository, descriptor)).stream();
  }
}

import { pipeline, Transform } from 'node:stream';
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
  readonly #onStreamed: ((bytes: number) => void) | undefined;

  /** `onStreamed` hears the size of every chunk of a blob stream as it is read. */
  constructor(session: RegistrySession, repository: RepositoryName, onStreamed?: (bytes: number) => void) {
    // A reference's tag or digest is not part of where the content lives.
    this.repository = { registry: repository.registry, repository: repository.repository };
    this.name = formatRepository(this.repository);
    this.#session = session;
    this.#onStreamed = onStreamed;
  }

  manifest(reference: string): Promise<RawManifest> {
    return getManifest(this.#session, this.repository, reference);
  }

  readBlob(descriptor: Descriptor, maxBytes: number): Promise<Uint8Array> {
    return readBlob(this.#session, this.repository, descriptor, maxBytes);
  }

  async openBlob(descriptor: Descriptor): Promise<NodeJS.ReadableStream> {
    const stream = (await openBlobStream(this.#session, this.repository, descriptor)).stream();
    const onStreamed = this.#onStreamed;
    if (onStreamed === undefined) return stream;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        onStreamed(chunk.byteLength);
        done(null, chunk);
      },
    });
    // The source's failure reaches the reader; a reader that stops early stops the download.
    return pipeline(stream, counted, () => undefined);
  }
}

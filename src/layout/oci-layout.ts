import type { LayoutContent } from '../oci/content-source.js';
import { parseDigest, sha256Digest, verifyDigest } from '../oci/digest.js';
import { type Fail, parseJsonObject, requiredString } from '../oci/json-fields.js';
import { type Descriptor, type RawManifest, parseManifest } from '../oci/manifest.js';
import { MediaType } from '../oci/media-types.js';
import { blobPath } from './blob-path.js';
import { OciLayoutError } from './layout-errors.js';
import { type LayoutFile, type LayoutFiles, readCapped } from './layout-files.js';
import { checkLayoutVersion } from './layout-version.js';
import { openLayoutFiles } from './open-layout-files.js';

/**
 * An OCI image layout (image-spec image-layout.md), as a directory or a tar, read in place: a content source with
 * no repository, whose manifests are addressed by digest only.
 */
export interface OciLayout extends LayoutContent {
  /** 'oci-layout:<path as given>' for messages. */
  readonly name: string;
  /** index.json as stored: exact bytes, media type application/vnd.oci.image.index.v1+json, digest of those bytes. */
  index(): Promise<RawManifest>;
  /**
   * A manifest blob by digest, exact bytes, verified against the digest; mediaType taken from the JSON's mediaType
   * field (required: a manifest in a layout without mediaType → clear error naming the digest). Capped at 8 MiB.
   */
  manifest(digest: string): Promise<RawManifest>;
  /**
   * A blob as a stream of exactly descriptor.size bytes (no verification here: the copy verifies); rejects with a
   * clear error naming the layout and digest when the blob is missing or its stored size differs from
   * descriptor.size.
   */
  openBlob(descriptor: Descriptor): Promise<NodeJS.ReadableStream>;
  close(): Promise<void>;
}

/** The read cap of manifests (8 MiB, as for registries), index.json included. */
const MANIFEST_LIMIT = 8 * 1024 * 1024;

/**
 * Opens a layout directory or tar (decided by stat: directory vs file). Validates the oci-layout file (version 1.x)
 * and index.json. Errors name the layout (`name`, by default `oci-layout:<path>`) and say what is wrong ("no
 * index.json in …", "… is not an OCI image layout: …").
 */
export async function openOciLayout(path: string, name = `oci-layout:${path}`): Promise<OciLayout> {
  const files = await openLayoutFiles(path, name);
  try {
    await checkLayoutVersion(files, name);
    return new LayoutReader(name, files, await readIndex(files, name));
  } catch (error) {
    await files.close();
    throw error;
  }
}

async function readIndex(files: LayoutFiles, name: string): Promise<RawManifest> {
  const file = files.find('index.json');
  if (file === undefined)
    throw new OciLayoutError(`no index.json in ${name}: a layout lists its images there`);
  const what = `index.json in ${name}`;
  const bytes = await readCapped(file, MANIFEST_LIMIT, what);
  const raw = { mediaType: MediaType.OciIndex, bytes, digest: sha256Digest(bytes) };
  parseManifest(raw, what);
  return raw;
}

class LayoutReader implements OciLayout {
  readonly name: string;
  readonly #files: LayoutFiles;
  readonly #index: RawManifest;

  constructor(name: string, files: LayoutFiles, index: RawManifest) {
    this.name = name;
    this.#files = files;
    this.#index = index;
  }

  async index(): Promise<RawManifest> {
    return this.#index;
  }

  manifest(reference: string): Promise<RawManifest> {
    return this.#attempt(`read manifest ${reference}`, async () => {
      const digest = parseDigest(reference);
      const bytes = await readCapped(this.#blobFile(digest), MANIFEST_LIMIT, 'it');
      verifyDigest(bytes, digest, 'the stored bytes');
      return { mediaType: declaredMediaType(bytes), bytes, digest };
    });
  }

  readBlob(descriptor: Descriptor, maxBytes: number): Promise<Uint8Array> {
    return this.#attempt(`read blob ${descriptor.digest}`, async () => {
      if (descriptor.size > maxBytes) {
        throw new OciLayoutError(
          `its descriptor says ${descriptor.size} bytes, more than the ${maxBytes} allowed`,
        );
      }
      const bytes = await this.#sizedBlobFile(descriptor).read();
      verifyDigest(bytes, descriptor.digest, 'the stored bytes');
      return bytes;
    });
  }

  openBlob(descriptor: Descriptor): Promise<NodeJS.ReadableStream> {
    return this.#attempt(`open blob ${descriptor.digest}`, async () =>
      this.#sizedBlobFile(descriptor).stream(),
    );
  }

  close(): Promise<void> {
    return this.#files.close();
  }

  #blobFile(digest: string): LayoutFile {
    const path = blobPath(digest);
    const file = this.#files.find(path);
    if (file === undefined) {
      throw new OciLayoutError(`it is not in the layout (no ${path})`, { contentFailure: 'not-found' });
    }
    return file;
  }

  #sizedBlobFile({ digest, size }: Descriptor): LayoutFile {
    const file = this.#blobFile(digest);
    if (file.size !== size) {
      throw new OciLayoutError(`it is stored with ${file.size} bytes but its descriptor says ${size}`);
    }
    return file;
  }

  async #attempt<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.#failure(action, error);
    }
  }

  #failure(action: string, error: unknown): OciLayoutError {
    return new OciLayoutError(`failed to ${action} from ${this.name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The manifest's own mediaType field: in a layout nothing else says what a manifest blob is. */
function declaredMediaType(bytes: Uint8Array): string {
  const fail: Fail = (problem, cause) => {
    throw new OciLayoutError(problem, { cause });
  };
  return requiredString(parseJsonObject(bytes, fail), 'mediaType', '', (problem) =>
    fail(`${problem} (a manifest in an image layout must name its media type)`),
  );
}

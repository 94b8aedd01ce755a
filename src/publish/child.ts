import type { ContentSource } from '../oci/content-source.js';
import type { Digest } from '../oci/digest.js';
import type { Descriptor, ImageManifest, RawManifest } from '../oci/manifest.js';
import type { Platform } from '../oci/platform.js';

/** One manifest that will be an entry of the index, with everything needed to verify and copy it. */
export interface Child {
  kind: 'image' | 'attestation';
  /** The entry as it goes into the index (media type, digest, size, platform, annotations). */
  descriptor: Descriptor;
  /** The platform proven from the config blob (images), or the descriptor's unknown/unknown (attestations). */
  platform: Platform;
  /** Where the manifest and its blobs can be read. */
  from: ContentSource;
  /** The child manifest's exact bytes and parsed form; absent for entries kept from an appended index. */
  content?: { raw: RawManifest; manifest: ImageManifest };
  /** The `sources` entry it came from, as written (or the appended index's reference). */
  source: string;
  /** Images: what proved the platform, as the summary says it (`config + /bin/app: aarch64 ELF`). */
  proven?: string;
  /** Attestations: the image manifest they describe. */
  subject?: Digest;
}

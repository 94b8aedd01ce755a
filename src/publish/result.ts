import type { Digest } from '../oci/digest.js';
import type { Platform } from '../oci/platform.js';
import type { Reference } from '../oci/reference.js';

/** One entry of the published index, as the summary shows it. */
export interface PublishedChild {
  kind: 'image' | 'attestation';
  /** The platform proven from the config blob (images); attestations carry unknown/unknown. */
  platform: Platform;
  digest: Digest;
  mediaType: string;
  /** Size of the child manifest in bytes. */
  size: number;
  /** The `sources` entry it came from, as the user wrote it. */
  source: string;
  /** For attestations: the image manifest they describe. */
  subject?: Digest;
}

/** What happened to one target tag. */
export interface TagOutcome {
  reference: Reference;
  /** `pushed`: written now; `unchanged`: already at the digest; `dry-run`: push was false. */
  status: 'pushed' | 'unchanged' | 'dry-run';
}

/** How the children's blobs reached the target repositories. */
export interface TransferCounts {
  present: number;
  mounted: number;
  copied: number;
}

export interface PublishResult {
  digest: Digest;
  mediaType: string;
  size: number;
  /** The index bytes exactly as pushed (or as a push would send them). */
  manifest: Uint8Array;
  /** `<repository of the first tag>@<digest>`. */
  image: string;
  /** Normalized platforms of the images in the index, in index order; attestations excluded. */
  platforms: string[];
  children: PublishedChild[];
  tags: TagOutcome[];
  dryRun: boolean;
  transfers: TransferCounts;
  /** Referrer manifests (signatures, SBOMs, attestations) carried into the target repositories. */
  referrers: number;
}

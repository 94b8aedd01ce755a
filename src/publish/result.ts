import type { Digest } from '../oci/digest.js';
import type { Platform } from '../oci/platform.js';
import type { TagRecord } from './tags/tag-record.js';

/** One entry of the published index, as the summary shows it. */
export interface PublishedChild {
  kind: 'image' | 'attestation';
  /** The platform proven from the config blob (images); attestations carry unknown/unknown. */
  platform: Platform;
  digest: Digest;
  mediaType: string;
  /** Size of the child manifest in bytes. */
  size: number;
  /** Size of the image it describes: config plus layers (foreign layers included); absent when not read. */
  imageSize?: number;
  /** The `sources` entry it came from, as the user wrote it. */
  source: string;
  /** For images: what proved the platform (`config`, `config + /bin/app: aarch64 ELF, 12 executables sampled`). */
  proven?: string;
  /** For attestations: the image manifest they describe. */
  subject?: Digest;
  /** In a failed run: the check this image failed, in a few words (`declared linux/arm64`). */
  failedCheck?: string;
}

/** A referrer manifest (signature, SBOM, attestation) carried into a target repository. */
export interface CarriedReferrer {
  /** The target repository, as references spell it. */
  repository: string;
  digest: Digest;
  /** The manifest it refers to. */
  subject: Digest;
  /** What kind of artifact it is, when it says (`application/vnd.dev.cosign.simplesigning.v1+json`…). */
  artifactType?: string;
  /** The cosign tag it was pushed under (`sha256-<hex>.sig`), when found under one. */
  tag?: string;
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
  /**
   * The index bytes exactly as pushed, or as a push would send them; in verify mode with one source that is an
   * index, that index's own bytes (what was verified), else the index the sources would make.
   */
  manifest: Uint8Array;
  /** `<repository of the first tag>@<digest>`; empty when nothing was pushed (verify mode, a dry run). */
  image: string;
  /** `<repository>@<digest>` for every target repository, in the order of the tags; empty when nothing was pushed. */
  images: string[];
  /** Verify mode on one registry index: that index, `<repository>@<digest>`, which `digest` and `manifest` are. */
  verifiedIndex?: string;
  /** The images' platforms as platformKey spells them, in index order; attestations excluded. */
  platforms: string[];
  /** The `platforms` input as parsed: what the result had to cover (matched by platformMatches). */
  required: Platform[];
  /**
   * The required platforms no image matches: empty in a result, since a missing one fails the run (the
   * MissingPlatformsError then carries them).
   */
  missing: Platform[];
  children: PublishedChild[];
  /** Every target tag: `moved` or `unchanged` (`dry-run` when push is false), with what it held before. */
  tags: TagRecord[];
  dryRun: boolean;
  transfers: TransferCounts;
  /** Referrer manifests (signatures, SBOMs, attestations) carried into the target repositories. */
  referrers: CarriedReferrer[];
}

import type { Digest } from '../oci/digest.js';
import type { Platform } from '../oci/platform.js';
import type { Reference } from '../oci/reference.js';

/**
 * One `sources` entry, parsed: an image reference, a bare digest looked up in the targets' repositories, or an
 * OCI layout on disk.
 */
export type SourceSpec = {
  /** The entry as the user wrote it, for messages and the summary. */
  text: string;
  /** The platform the user declared with `PLATFORM=REF`; the config blob must agree. */
  declared?: Platform;
} & (
  | { kind: 'reference'; reference: Reference }
  | { kind: 'digest'; digest: Digest }
  /** `oci-layout:PATH`: an OCI image layout directory or tar, as `buildx --output type=oci` writes it. */
  | {
      kind: 'layout';
      path: string;
      /** The compressed artifact (.tar.gz, .zip) the user named, when `path` is the folder it was unpacked to. */
      archive?: string;
    }
);

/** An annotation for a manifest descriptor of the index; `platform` limits it to the children of that platform. */
export interface DescriptorAnnotation {
  key: string;
  value: string;
  platform?: Platform;
}

export type IndexFormat = 'auto' | 'oci' | 'docker';

/** Everything a publish run needs, already validated: no network has been touched to build it. */
export interface PublishRequest {
  sources: SourceSpec[];
  /** Target references, each with a tag; the first one is the `image` output's repository and `append`'s base. */
  targets: Reference[];
  /** Platforms the result must cover. */
  platforms: Platform[];
  format: IndexFormat;
  indexAnnotations: Record<string, string>;
  descriptorAnnotations: DescriptorAnnotation[];
  attestations: 'keep' | 'drop';
  /** `copy`: what refers to a child (signatures, SBOMs, attestations) goes with it into every target. */
  referrers: 'copy' | 'skip';
  append: boolean;
  push: boolean;
  /** How each image's platform is proven: its config, or also the binaries in its layers. */
  prove: ProofDepth;
  /** `binaries`: layer bytes read per platform at most; the default is documented in the README. */
  proveBudget?: number;
}

export type ProofDepth = 'config' | 'binaries';

import type { Digest } from '../../oci/digest.js';
import type { Descriptor } from '../../oci/manifest.js';

/** What carrying one referrer into one target came to. */
export interface Carried {
  /** False when it was left out (the target's own cosign tag kept, a subject that is not the one asked for). */
  inTarget: boolean;
  /** Its descriptor, for the referrers tag, when the target registry did not index its subject. */
  unindexed?: Descriptor | undefined;
}

/** A referrer found in a source, as weighed before it is carried into a target. */
export interface Candidate {
  digest: Digest;
  /** The cosign tag it was found under, if any. */
  tag?: string | undefined;
  /** Where it was found, for messages. */
  from: string;
}

/**
 * Why a referrer must not overwrite what `target` holds under its cosign tag (`tagged`, another digest): that is
 * the target's own signature, attestation or SBOM, and merging signatures is cosign copy's work. Undefined when
 * nothing is in the way.
 */
export function overwriteRefusal(
  candidate: Candidate,
  target: string,
  tagged: Digest | undefined,
): string | undefined {
  const { digest, tag } = candidate;
  if (tag === undefined || tagged === undefined || tagged === digest) return undefined;
  return (
    `${target}:${tag} already holds ${tagged}, not the source's ${digest}: the target's is kept and the ` +
    "source's is not carried (cosign copy merges signatures)"
  );
}

/**
 * Why a referrer would dangle: listed for `subject` by digest, it must name it as its subject (`about`); a cosign
 * manifest may have none, as its tag names its subject. Undefined when it does not dangle.
 */
export function danglingRefusal(
  candidate: Candidate,
  subject: Digest,
  about: Digest | undefined,
): string | undefined {
  if (about !== undefined ? about === subject : candidate.tag !== undefined) return undefined;
  return (
    `referrer ${candidate.digest} in ${candidate.from} is listed for ${subject} but its subject is ` +
    `${about ?? 'missing'}; it is not carried`
  );
}

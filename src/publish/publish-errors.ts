import { ReportedError } from '../common/reported-error.js';
import type { Digest } from '../oci/digest.js';
import type { Platform } from '../oci/platform.js';
import type { Child } from './child.js';
/** A publish run refused: the sources do not make the image the user asked for. Nothing was written. */
export class PublishError extends ReportedError {
  readonly title: string = 'Publish refused';
  override readonly name: string = 'PublishError';
}

/** An image that failed a check: its digest, its `sources` entry, the check in a few words (`declared linux/arm64`). */
export interface FailedCheck {
  digest: Digest;
  source: string;
  check: string;
}

/**
 * Images that were read and proven, one of which failed a check (a declared platform, an index's claim, a platform
 * given twice): carries them all, so the summary of the failed run shows each with what its config says.
 */
export class CheckFailedError extends PublishError {
  override readonly name = 'CheckFailedError';
  override readonly title: string = 'Platform check failed';

  constructor(
    message: string,
    /** Every image and attestation read from the sources concerned, the failing one included. */
    readonly proven: Child[],
    /** The image that failed, the `sources` entry it was read from, and the check in a few words. */
    readonly failed: FailedCheck,
  ) {
    super(message);
  }
}

/** Required platforms the sources do not provide; carries them so the run can still report which. */
export class MissingPlatformsError extends PublishError {
  override readonly name = 'MissingPlatformsError';
  override readonly title: string = 'Required platforms missing';

  constructor(
    message: string,
    /** The `platforms` entries no image matches, as the user wrote them (parsed). */
    readonly missing: Platform[],
  ) {
    super(message);
  }

  override hints(): string[] {
    return ['add a source for each missing platform, or leave it out of `platforms`'];
  }
}

/** A `sources` entry that names nothing: a tag never pushed, a digest in none of the repositories looked in. */
export class SourceNotFoundError extends ReportedError {
  readonly title = 'Source image not found';
  override readonly name = 'SourceNotFoundError';
}

/** A source whose images are readable refused the lookup of what refers to them. Nothing was written. */
export class ReferrersRefusedError extends ReportedError {
  readonly title = 'Referrers lookup refused';
  override readonly name = 'ReferrersRefusedError';

  override hints(): string[] {
    return [
      'give credentials that may read the referrers and tags of the source, or set `referrers: skip` to publish ' +
        'without carrying signatures, SBOMs and attestations',
    ];
  }
}

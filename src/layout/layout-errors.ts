import { ReportedError } from '../common/reported-error.js';
import type { ContentFailure, ContentFailureFact } from '../oci/content-failure.js';

/** An OCI image layout that cannot be opened or read, or that lacks or misstates what was asked of it. */
export class OciLayoutError extends ReportedError implements ContentFailureFact {
  readonly title = 'Invalid OCI layout';
  override name = 'OciLayoutError';
  /** `not-found` when the layout lacks the blob or manifest asked for; the use case reads no more than that. */
  readonly contentFailure: ContentFailure | undefined;

  constructor(message: string, options?: { cause?: unknown; contentFailure?: ContentFailure }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.contentFailure = options?.contentFailure;
  }
}

/** An archive layout past the bounds a layout keeps: too many entries, or unpacking to far more than its size. */
export class ArchiveLimitError extends ReportedError {
  readonly title = 'Layout archive too large';
  override name = 'ArchiveLimitError';

  override hints(): string[] {
    return [
      'unpack the artifact in an earlier step and give the folder or a plain .tar as oci-layout:PATH: ' +
        'those are read in place, with no bound on unpacked size',
    ];
  }
}

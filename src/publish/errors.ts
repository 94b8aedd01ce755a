import { ReportedError } from '../common/reported-error.js';
/** A publish run refused: the sources do not make the image the user asked for. Nothing was written. */
export class PublishError extends ReportedError {
  readonly title = 'Publish refused';
  override readonly name = 'PublishError';
}

/** A `sources` entry that names nothing: a tag never pushed, a digest in none of the repositories looked in. */
export class SourceNotFoundError extends ReportedError {
  readonly title = 'Source image not found';
  override readonly name = 'SourceNotFoundError';
}

import { ReportedError } from '../common/reported-error.js';
/** A publish run refused: the sources do not make the image the user asked for. Nothing was written. */
export class PublishError extends ReportedError {
  readonly title = 'Publish refused';
  override readonly name = 'PublishError';
}

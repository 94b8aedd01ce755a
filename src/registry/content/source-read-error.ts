import { ReportedError } from '../../common/reported-error.js';

/** A streamed copy whose source stopped: cut, stalled or unreadable. The target is not at fault. */
export class SourceReadError extends ReportedError {
  readonly title = 'Source read failed';
  override name = 'SourceReadError';

  override hints(): string[] {
    return [
      'the source stopped sending the blob (cut or stalled); nothing was finalised in the target: run again, ' +
        'or check the source registry or file',
    ];
  }
}

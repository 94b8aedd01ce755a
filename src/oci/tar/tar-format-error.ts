import { ReportedError } from '../../common/reported-error.js';

/** Bytes that are not a tar archive this reader understands (bad header, truncated entry). */
export class TarFormatError extends ReportedError {
  readonly title = 'Invalid OCI layout archive';
  override name = 'TarFormatError';
}

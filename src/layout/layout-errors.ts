import { ReportedError } from '../common/reported-error.js';

/** An OCI image layout that cannot be opened or read, or that lacks or misstates what was asked of it. */
export class OciLayoutError extends ReportedError {
  readonly title = 'Invalid OCI layout';
  override name = 'OciLayoutError';
}

/** Bytes that are not a tar archive this reader understands (bad header, truncated entry). */
export class TarFormatError extends ReportedError {
  readonly title = 'Invalid OCI layout archive';
  override name = 'TarFormatError';
}

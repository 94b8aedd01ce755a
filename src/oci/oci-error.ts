import { ReportedError } from '../common/reported-error.js';

/** Options every OCI error accepts: the underlying failure, if any. */
export interface OciErrorOptions {
  cause?: unknown;
}

/** Base class of every error raised by the pure OCI model. */
export class OciError extends ReportedError {
  readonly title: string = 'Invalid image content';

  constructor(message: string, options?: OciErrorOptions) {
    super(message, options);
    this.name = 'OciError';
  }
}

/** An image reference that does not follow the distribution grammar. */
export class InvalidReferenceError extends OciError {
  override name = 'InvalidReferenceError';
  override readonly title: string = 'Invalid image reference';
}

/** A digest that is malformed, uses an unsupported algorithm, or does not match the content. */
export class InvalidDigestError extends OciError {
  override name = 'InvalidDigestError';
  override readonly title: string = 'Invalid digest';
}

/** A platform specifier or image config that does not name a usable os/architecture. */
export class InvalidPlatformError extends OciError {
  override name = 'InvalidPlatformError';
  override readonly title: string = 'Invalid platform';
}

/** Manifest or config bytes that are not a well-formed document of their media type. */
export class InvalidManifestError extends OciError {
  override name = 'InvalidManifestError';
  override readonly title: string = 'Invalid manifest';
}

/** A media type this tool cannot put into an index (schema 1, unknown types). */
export class UnsupportedMediaTypeError extends OciError {
  override name = 'UnsupportedMediaTypeError';
  override readonly title: string = 'Unsupported media type';
}

/** An index that cannot be built from the given children and options. */
export class IndexBuildError extends OciError {
  override name = 'IndexBuildError';
  override readonly title: string = 'Cannot build the index';
}

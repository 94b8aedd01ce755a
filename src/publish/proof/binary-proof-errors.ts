import { ReportedError } from '../../common/reported-error.js';

/** A program in an image is for another platform than its config says. Nothing was written. */
export class BinaryPlatformError extends ReportedError {
  readonly title = 'Binary for another platform';
  override readonly name = 'BinaryPlatformError';

  override hints(): string[] {
    return [
      'rebuild the image for the platform its config names: a cross-compiled program needs its target set ' +
        '(GOARCH, TARGETARCH, --target), and a base image copied from another stage must be the one of that platform',
      'if the image is right as it is (an emulator, a foreign tool on purpose), set `prove: config` to check the ' +
        'config only',
    ];
  }
}

/** An image layer that is not a tar (gzip, zstd or plain) the action can read. Nothing was written. */
export class LayerReadError extends ReportedError {
  readonly title = 'Unreadable image layer';
  override readonly name = 'LayerReadError';

  override hints(): string[] {
    return [
      'push the image again; if it is right, set `prove: config` to publish it without reading its layers',
    ];
  }
}

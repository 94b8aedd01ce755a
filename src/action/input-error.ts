import { ReportedError } from '../common/reported-error.js';
/** An input the action cannot use; raised before any network request. */
export class InputError extends ReportedError {
  readonly title = 'Invalid input';
  override name = 'InputError';

  constructor(
    /** The action.yml name of the offending input. */
    readonly input: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

import { ReportedError } from '../../common/reported-error.js';
/** Authentication that cannot proceed: no usable challenge, a refused realm, missing or unusable credentials. */
export class AuthenticationError extends ReportedError {
  readonly title = 'Authentication failed';
  override name = 'AuthenticationError';
}

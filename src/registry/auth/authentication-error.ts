import { ReportedError } from '../../common/reported-error.js';
import { credentialsHint, type CredentialSource } from '../http/refusal-hints.js';

/**
 * Authentication that cannot proceed: no usable challenge, a refused realm, missing or unusable credentials. Where
 * credentials are the trouble it knows which (`credentialSource`) and says what to do in the words a registry's 401
 * gets, whatever the scheme.
 */
export class AuthenticationError extends ReportedError {
  readonly title = 'Authentication failed';
  override name = 'AuthenticationError';
  readonly credentialSource: CredentialSource | undefined;

  constructor(message: string, options: { cause?: unknown; credentialSource?: CredentialSource } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.credentialSource = options.credentialSource;
  }

  override hints(): string[] {
    return this.credentialSource === undefined ? [] : [credentialsHint(this.credentialSource)];
  }
}

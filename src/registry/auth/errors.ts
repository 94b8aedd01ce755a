/** Authentication that cannot proceed: no usable challenge, a refused realm, missing or unusable credentials. */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

import { AuthenticationError } from './authentication-error.js';
import { RegistryError } from '../http/registry-error.js';
import { TimedOutError } from '../http/timed-out-error.js';

/**
 * `error` restated as a failure of the operation `what` ("read manifest ghcr.io/acme/app:1.0"): message
 * `failed to <what>: <cause>`, the original as `cause`. Registry and authentication errors keep their class and
 * fields (the refused credentials too), a timeout stays a timeout, so callers still see the status, the codes and the kind of failure; other errors pass through unchanged.
 */
export function inContext(what: string, error: unknown): unknown {
  const prefix = `failed to ${what}: `;
  if (!(error instanceof Error) || error.message.startsWith(prefix)) return error;
  if (error instanceof RegistryError) {
    return error.restated(prefix + error.message, { cause: error });
  }
  if (error instanceof AuthenticationError) {
    return new AuthenticationError(prefix + error.message, { cause: error });
  }
  if (error instanceof TimedOutError) return new TimedOutError(prefix + error.message, { cause: error });
  return error;
}

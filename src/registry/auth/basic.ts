import type { Credential } from '../credentials/credential-store.js';
import { AuthenticationError } from './authentication-error.js';

/** The base64 credential of a Basic Authorization header (RFC 7617, UTF-8): what to mask. */
export function basicCredential(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/**
 * The username and password a Basic challenge asks for; throws AuthenticationError when `credential` lacks them,
 * whose hint says which credentials apply where (`coverage`) when none were found.
 */
export function basicUser(
  registry: string,
  credential: Credential | undefined,
  coverage?: string,
): { username: string; password: string; source: string } {
  if (!credential?.username || !credential.password) {
    const found = credential
      ? `the credentials from ${credential.source} have none`
      : 'none were found for it';
    throw new AuthenticationError(
      `failed to authenticate to ${registry}: it asks for a username and password (Basic) and ${found}`,
      { credentialSource: { registry, source: credential?.source, coverage } },
    );
  }
  return { username: credential.username, password: credential.password, source: credential.source };
}

import type { Credential } from '../credentials/credential-store.js';
import { formatScope, type Scope } from './scopes.js';

/** How the token request authenticates, as in "failed to authenticate to <registry> <who>". */
export function describeWho(credential: Credential | undefined): string {
  if (credential?.username && (credential.password || credential.identityToken)) {
    return `as ${credential.username}`;
  }
  return credential?.identityToken ? 'with an identity token' : 'anonymously';
}

/** `repository:a:pull repository:b:pull,push`, for logs. */
export function describeScopes(scopes: Scope[]): string {
  return scopes.length === 0 ? 'no scope' : scopes.map(formatScope).join(' ');
}

import { DockerConfigError, type AuthEntry } from './config-file.js';
import type { Credential } from './credential-store.js';

/** An `auths` entry found for a credentials key, with the key it is stored under. */
export interface FoundEntry {
  key: string;
  entry: AuthEntry;
}

/**
 * The entry for `key`: stored under exactly that key, else under a key with the same host, as docker's file store
 * does for legacy keys such as `https://myreg.example/v1/`.
 */
export function findAuthEntry(auths: Record<string, AuthEntry>, key: string): FoundEntry | undefined {
  const exact = auths[key];
  if (exact) return { key, entry: exact };
  const host = hostnameOf(key);
  const legacy = Object.entries(auths).find(([candidate]) => hostnameOf(candidate) === host);
  return legacy && { key: legacy[0], entry: legacy[1] };
}

/** docker/cli `ConvertToHostname`: `https://myreg.example:5000/v1/` → `myreg.example:5000`. */
function hostnameOf(key: string): string {
  const withoutScheme = key.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  return (withoutScheme.split('/')[0] ?? '').toLowerCase();
}

/** The credential an entry holds, or undefined when it holds none (e.g. `{}` written beside a credsStore). */
export function credentialFromEntry(found: FoundEntry, source: string): Credential | undefined {
  const { entry, key } = found;
  const credential: Credential = { source };
  if (entry.auth !== undefined) {
    Object.assign(credential, decodeAuth(entry.auth, key, source));
  } else if (entry.username !== undefined || entry.password !== undefined) {
    Object.assign(credential, { username: entry.username, password: entry.password });
  }
  if (entry.identitytoken !== undefined) credential.identityToken = entry.identitytoken;
  if (entry.registrytoken !== undefined) credential.registryToken = entry.registrytoken;
  const holdsSecret = credential.password ?? credential.identityToken ?? credential.registryToken;
  return holdsSecret === undefined ? undefined : credential;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** docker/cli `decodeAuth`: base64 of `user:password`, split on the first `:`, trailing NULs dropped. */
function decodeAuth(auth: string, key: string, source: string): { username: string; password: string } {
  const expected = `expected base64 of "username:password"`;
  if (!BASE64.test(auth))
    throw new DockerConfigError(`invalid "auth" for "${key}" in ${source}: not base64; ${expected}`);
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    const problem = colon < 0 ? 'no ":" after decoding' : 'the username is empty';
    throw new DockerConfigError(`invalid "auth" for "${key}" in ${source}: ${problem}; ${expected}`);
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1).replace(/\0+$/, '') };
}

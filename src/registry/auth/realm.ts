import { AuthenticationError } from './authentication-error.js';

/**
 * The token realm of a Bearer challenge as a URL. It must be https, so credentials never cross the network in
 * clear text, unless the registry itself is spoken to over plain http (a loopback or insecure registry).
 */
export function tokenRealm(registry: string, realm: string | undefined, registryIsPlainHttp: boolean): URL {
  if (realm === undefined || realm === '') {
    throw new AuthenticationError(`failed to authenticate to ${registry}: its Bearer challenge has no realm`);
  }
  let url: URL;
  try {
    url = new URL(realm);
  } catch (error) {
    throw new AuthenticationError(
      `failed to authenticate to ${registry}: token realm "${realm}" is not an absolute URL`,
      { cause: error },
    );
  }
  const allowed = registryIsPlainHttp ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(url.protocol)) {
    const rule = registryIsPlainHttp
      ? 'expected an http or https URL'
      : 'expected https (http only for a registry that is itself reached over http)';
    throw new AuthenticationError(`refusing token realm "${realm}" of ${registry}: ${rule}`);
  }
  return url;
}

import type { Digest } from '../../oci/digest.js';
import { RegistryError } from './registry-error.js';
import { unsafeMove } from './redirects.js';
import type { TransportResponse } from './sender.js';

/**
 * The upload URL a registry answered with (`Location` of a 202): resolved against the URL of the request that got
 * it, since registries send relative paths as often as absolute URLs, on their own origin or a storage host's.
 */
export function uploadLocation(response: TransportResponse, what: string): URL {
  const location = response.headers['location'];
  const fail = (problem: string): never => {
    throw new RegistryError(`failed to ${what}: the registry answered ${response.status} ${problem}`, {
      method: 'POST',
      url: response.url,
      status: response.status,
    });
  };
  if (location === undefined || location === '') return fail('without a Location');
  let url: URL;
  try {
    url = new URL(location, response.url);
  } catch {
    return fail(`with an unreadable Location ${JSON.stringify(location)}`);
  }
  // The upload carries the blob (and, on the registry's origin, its Authorization): same rules as a redirect.
  const unsafe = unsafeMove(response.url, url);
  return unsafe === undefined ? url : fail(`with a Location the upload must not follow: ${unsafe}`);
}

/**
 * `location` with `digest=<digest>` appended. Its own query (upload state, presigned signatures) is kept byte for
 * byte: re-serializing it through URLSearchParams could change its encoding and break a signature.
 */
export function withDigest(location: URL, digest: Digest): URL {
  const url = new URL(location);
  const param = new URLSearchParams({ digest }).toString();
  url.search = url.search === '' ? param : `${url.search}&${param}`;
  return url;
}

import { describe, expect, it } from '@jest/globals';
import type { Digest } from '../../../../src/oci/digest.js';
import { RegistryError } from '../../../../src/registry/http/registry-error.js';
import type { TransportResponse } from '../../../../src/registry/http/sender.js';
import { uploadLocation, withDigest } from '../../../../src/registry/http/upload-location.js';

const DIGEST = `sha256:${'ab'.repeat(32)}` as Digest;
const REQUEST_URL = new URL('https://registry.test/v2/acme/app/blobs/uploads/');

/** A 202 answer to a POST at REQUEST_URL with these headers. */
function answer(headers: Record<string, string>): TransportResponse {
  return { status: 202, url: REQUEST_URL, headers } as unknown as TransportResponse;
}

describe('uploadLocation', () => {
  it.each([
    [
      'an absolute path',
      '/v2/acme/app/blobs/uploads/u1?_state=x',
      'https://registry.test/v2/acme/app/blobs/uploads/u1?_state=x',
    ],
    ['a path relative to the request', 'u2', 'https://registry.test/v2/acme/app/blobs/uploads/u2'],
    ['an absolute URL elsewhere', 'https://uploads.test/s/3?sig=a%2Bb', 'https://uploads.test/s/3?sig=a%2Bb'],
  ])('resolves %s against the request URL', (_case, location, expected) => {
    expect(uploadLocation(answer({ location }), 'open an upload').href).toBe(expected);
  });

  it.each([
    ['no Location', {}, 'failed to open an upload: the registry answered 202 without a Location'],
    [
      'an empty Location',
      { location: '' },
      'failed to open an upload: the registry answered 202 without a Location',
    ],
    [
      'an unreadable Location',
      { location: 'http://[bad' },
      'failed to open an upload: the registry answered 202 with an unreadable Location "http://[bad"',
    ],
    [
      'a Location that downgrades https to http',
      { location: 'http://registry.test/v2/acme/app/blobs/uploads/u4' },
      'with a Location the upload must not follow: from https to http (registry.test)',
    ],
    [
      'a Location on a link-local address',
      { location: 'https://169.254.169.254/latest/meta-data' },
      'with a Location the upload must not follow: to the link-local address 169.254.169.254',
    ],
  ])('refuses %s', (_case, headers, message) => {
    const reading = () => uploadLocation(answer(headers), 'open an upload');

    expect(reading).toThrow(RegistryError);
    expect(reading).toThrow(message);
  });
});

describe('withDigest', () => {
  it.each([
    [
      'no query',
      'https://r.test/v2/a/blobs/uploads/u1',
      `https://r.test/v2/a/blobs/uploads/u1?digest=sha256%3A${'ab'.repeat(32)}`,
    ],
    [
      'a query whose encoding must survive',
      'https://r.test/u?_state=a%2Bb%3D%3D&X-Amz-Signature=c%2Fd',
      `https://r.test/u?_state=a%2Bb%3D%3D&X-Amz-Signature=c%2Fd&digest=sha256%3A${'ab'.repeat(32)}`,
    ],
    ['a bare "?"', 'https://r.test/u?', `https://r.test/u?digest=sha256%3A${'ab'.repeat(32)}`],
  ])('appends the digest to a Location with %s', (_case, location, expected) => {
    const original = new URL(location);

    expect(withDigest(original, DIGEST).href).toBe(expected);
    expect(original.href).toBe(new URL(location).href);
  });
});

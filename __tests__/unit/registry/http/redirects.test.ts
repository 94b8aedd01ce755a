import { describe, expect, it } from '@jest/globals';
import { RegistryError } from '../../../../src/registry/http/registry-error.js';
import { isRedirectStatus, planRedirect } from '../../../../src/registry/http/redirects.js';
import type { TransportMethod } from '../../../../src/registry/http/sender.js';

const BLOB = new URL('https://registry.test/v2/acme/app/blobs/sha256:ab');

describe('planRedirect', () => {
  it.each<[string, TransportMethod, number, string, string, TransportMethod, boolean]>([
    [
      '307 to storage keeps GET',
      'GET',
      307,
      'https://s3.test/b?sig=x',
      'https://s3.test/b?sig=x',
      'GET',
      true,
    ],
    [
      'relative path',
      'GET',
      302,
      './sha256:cd',
      'https://registry.test/v2/acme/app/blobs/sha256:cd',
      'GET',
      true,
    ],
    ['absolute path', 'HEAD', 301, '/v2/b/blobs/x', 'https://registry.test/v2/b/blobs/x', 'HEAD', true],
    ['scheme-relative', 'GET', 302, '//cdn.test/x', 'https://cdn.test/x', 'GET', true],
    ['303 turns PUT into GET', 'PUT', 303, '/done', 'https://registry.test/done', 'GET', false],
    ['303 keeps HEAD', 'HEAD', 303, '/done', 'https://registry.test/done', 'HEAD', false],
    ['302 turns POST into GET', 'POST', 302, '/next', 'https://registry.test/next', 'GET', false],
    ['301 keeps PUT and its body', 'PUT', 301, '/next', 'https://registry.test/next', 'PUT', true],
    ['307 keeps POST and its body', 'POST', 307, '/next', 'https://registry.test/next', 'POST', true],
    ['308 keeps PATCH and its body', 'PATCH', 308, '/next', 'https://registry.test/next', 'PATCH', true],
    ['to a private address', 'GET', 307, 'https://10.0.0.5/b', 'https://10.0.0.5/b', 'GET', true],
  ])('follows: %s', (_name, method, status, location, url, nextMethod, keepBody) => {
    expect(planRedirect(method, BLOB, status, location)).toEqual({
      url: new URL(url),
      method: nextMethod,
      keepBody,
    });
  });

  it('lets a loopback registry redirect to loopback, and an http origin redirect to http', () => {
    const local = new URL('http://127.0.0.1:5000/v2/a/blobs/x');

    expect(planRedirect('GET', local, 307, 'http://localhost:5000/b').url.href).toBe(
      'http://localhost:5000/b',
    );
  });

  it.each([
    ['https to http', 'http://s3.test/b', 'from https to http (s3.test)'],
    ['a non-HTTP scheme', 'file:///etc/passwd', 'to the non-HTTP URL file:'],
    ['an unreadable Location', 'http://[::1', 'to an unreadable Location "http://[::1"'],
    [
      'link-local IPv4 (metadata service)',
      'https://169.254.169.254/latest',
      'to the link-local address 169.254.169.254',
    ],
    ['link-local IPv6', 'https://[fe80::1]/x', 'to the link-local address [fe80::1]'],
    [
      'loopback from a remote registry',
      'https://127.0.0.1:8080/x',
      'from registry.test to the loopback address 127.0.0.1:8080',
    ],
    [
      'localhost from a remote registry',
      'https://localhost/x',
      'from registry.test to the loopback address localhost',
    ],
  ])('refuses %s', (_name, location, reason) => {
    let failure: unknown;
    try {
      planRedirect('GET', new URL('https://u:p@registry.test/v2/x?_state=s'), 307, location);
    } catch (error) {
      failure = error;
    }

    expect(failure).toBeInstanceOf(RegistryError);
    expect(failure).toMatchObject({
      message: `failed to GET https://registry.test/v2/x?_state=redacted: refusing redirect ${reason}`,
      status: 307,
      method: 'GET',
    });
  });
});

describe('isRedirectStatus', () => {
  it.each([
    [301, true],
    [302, true],
    [303, true],
    [307, true],
    [308, true],
    [300, false],
    [304, false],
    [305, false],
    [200, false],
    [404, false],
  ])('%i → %p', (status, expected) => {
    expect(isRedirectStatus(status)).toBe(expected);
  });
});

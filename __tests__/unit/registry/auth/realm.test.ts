import { describe, expect, it } from '@jest/globals';
import { tokenRealm } from '../../../../src/registry/auth/realm.js';

describe('tokenRealm', () => {
  it.each<[string, string, boolean, string]>([
    ['ghcr.io', 'https://ghcr.io/token', false, 'https://ghcr.io/token'],
    ['docker.io', 'https://auth.docker.io/token', false, 'https://auth.docker.io/token'],
    ['127.0.0.1:5000', 'http://127.0.0.1:5001/auth', true, 'http://127.0.0.1:5001/auth'],
    ['127.0.0.1:5000', 'https://127.0.0.1:5001/auth', true, 'https://127.0.0.1:5001/auth'],
    ['quay.io', 'https://quay.io/v2/auth?x=1', false, 'https://quay.io/v2/auth?x=1'],
  ])('accepts %s realm %s (registry over http: %s)', (registry, realm, plainHttp, expected) => {
    expect(tokenRealm(registry, realm, plainHttp).href).toBe(expected);
  });

  it.each<[string, string | undefined, boolean, RegExp]>([
    [
      'ghcr.io',
      'http://ghcr.io/token',
      false,
      /^refusing token realm "http:\/\/ghcr.io\/token" of ghcr.io: expected https/,
    ],
    [
      'localhost:5000',
      'http://localhost:5001/auth',
      false,
      /refusing token realm "http:\/\/localhost:5001\/auth"/,
    ],
    [
      '127.0.0.1:5000',
      'ftp://127.0.0.1/auth',
      true,
      /refusing token realm "ftp:\/\/127.0.0.1\/auth" .*http or https/,
    ],
    [
      'ghcr.io',
      '/token',
      false,
      /failed to authenticate to ghcr.io: token realm "\/token" is not an absolute URL/,
    ],
    ['ghcr.io', undefined, false, /failed to authenticate to ghcr.io: its Bearer challenge has no realm/],
    ['ghcr.io', '', false, /its Bearer challenge has no realm/],
  ])('refuses %s realm %j (registry over http: %s)', (registry, realm, plainHttp, message) => {
    expect(() => tokenRealm(registry, realm, plainHttp)).toThrow(message);
  });
});

import { describe, expect, it } from '@jest/globals';
import { parseTokenResponse } from '../../../../src/registry/auth/token-response.js';

const REQUESTED_AT = Date.parse('2026-10-21T07:28:00Z');
const at = (iso: string): number => Date.parse(iso);

describe('parseTokenResponse', () => {
  it.each<[string, object, { token: string; expiresAt: number }]>([
    [
      'token with expires_in',
      { token: 't1', expires_in: 300 },
      { token: 't1', expiresAt: REQUESTED_AT + 300_000 },
    ],
    [
      'access_token alone',
      { access_token: 'a1', expires_in: 120 },
      { token: 'a1', expiresAt: REQUESTED_AT + 120_000 },
    ],
    [
      'access_token over token',
      { token: 't', access_token: 'a', expires_in: 300 },
      { token: 'a', expiresAt: REQUESTED_AT + 300_000 },
    ],
    [
      'token when access_token is empty',
      { token: 't', access_token: '' },
      { token: 't', expiresAt: REQUESTED_AT + 60_000 },
    ],
    ['no expires_in: 60 s', { token: 't' }, { token: 't', expiresAt: REQUESTED_AT + 60_000 }],
    [
      'expires_in below 60 s: raised to 60 s',
      { token: 't', expires_in: 5 },
      { token: 't', expiresAt: REQUESTED_AT + 60_000 },
    ],
    [
      'expires_in not a number: 60 s',
      { token: 't', expires_in: '300' },
      { token: 't', expiresAt: REQUESTED_AT + 60_000 },
    ],
    [
      'issued_at in the past counts',
      { token: 't', expires_in: 300, issued_at: '2026-10-21T07:27:00Z' },
      { token: 't', expiresAt: at('2026-10-21T07:27:00Z') + 300_000 },
    ],
    [
      'issued_at with nanoseconds and an offset',
      { token: 't', expires_in: 300, issued_at: '2026-10-21T09:27:30.123456789+02:00' },
      { token: 't', expiresAt: at('2026-10-21T07:27:30.123Z') + 300_000 },
    ],
    [
      'issued_at in the future (clock skew) is ignored',
      { token: 't', expires_in: 300, issued_at: '2026-10-21T07:40:00Z' },
      { token: 't', expiresAt: REQUESTED_AT + 300_000 },
    ],
    [
      'issued_at older than the lifetime is ignored',
      { token: 't', expires_in: 300, issued_at: '2026-10-21T07:00:00Z' },
      { token: 't', expiresAt: REQUESTED_AT + 300_000 },
    ],
    [
      'unparsable issued_at is ignored',
      { token: 't', expires_in: 300, issued_at: 'yesterday' },
      { token: 't', expiresAt: REQUESTED_AT + 300_000 },
    ],
  ])('reads %s', (_name, body, expected) => {
    expect(parseTokenResponse(JSON.stringify(body), REQUESTED_AT, 'failed to authenticate to r')).toEqual(
      expected,
    );
  });

  it.each<[string, string, RegExp]>([
    [
      'not JSON',
      '<html>token: secret-ish</html>',
      /^failed to authenticate to r: the token server's answer is not JSON$/,
    ],
    [
      'no token',
      '{"expires_in":300}',
      /^failed to authenticate to r: the token server's answer has no "access_token" or "token"$/,
    ],
    ['an empty token', '{"token":""}', /has no "access_token" or "token"/],
    ['a token that is not a string', '{"token":42}', /has no "access_token" or "token"/],
    ['a JSON array', '[]', /has no "access_token" or "token"/],
    ['JSON null', 'null', /has no "access_token" or "token"/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseTokenResponse(text, REQUESTED_AT, 'failed to authenticate to r')).toThrow(message);
  });
});

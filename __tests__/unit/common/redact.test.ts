import { describe, expect, it } from '@jest/globals';
import { redactCredentials, redactTokenLike } from '../../../src/common/redact.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('redactCredentials', () => {
  it.each([
    ['user:hunter2@ghcr.io/acme/app:1.0', '***@ghcr.io/acme/app:1.0'],
    ['invalid source "user:hunter2@ghcr.io/acme/app"', 'invalid source "***@ghcr.io/acme/app"'],
    ['tags: a:b@localhost:5000/x:1', 'tags: ***@localhost:5000/x:1'],
    [
      'realm "https://bot:s3cr3t@auth.example/token" refused',
      'realm "https://***@auth.example/token" refused',
    ],
    ['http://u:p@h/ and https://v:q@i/', 'http://***@h/ and https://***@i/'],
    ['me:p@ss:w@rd@registry.test/app', '***@registry.test/app'],
    ['linux/amd64=alice:pw@host/app', 'linux/amd64=***@host/app'],
    ['invalid append ":user:pw@"', 'invalid append ":***@"'],
    ['a/b:c@host', 'a/***@host'],
  ])('%s', (text, redacted) => {
    expect(redactCredentials(text)).toBe(redacted);
  });

  it.each([
    `ghcr.io/acme/app:1.0@${DIGEST}`,
    `app:1.0@${DIGEST}`,
    `read manifest localhost:5000/app@${DIGEST}`,
    'ghcr.io/acme/app:1.0',
    'https://registry.test/v2/acme/app/manifests/1.0',
    'user@example.com wrote: ratio 1:2',
  ])('leaves %s alone', (text) => {
    expect(redactCredentials(text)).toBe(text);
  });
});

describe('redactTokenLike', () => {
  it.each([
    ['a GitHub token', 'token ghp_16C7e42F292c6912E7710c838347Ae178B4a expired', 'token *** expired'],
    [
      'a JWT',
      'bad eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_X',
      'bad ***.***.***',
    ],
    ['an AWS secret key', 'key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY rejected', 'key *** rejected'],
    ['userinfo', 'GET https://bot:pw@registry.local/v2/', 'GET https://***@registry.local/v2/'],
  ])('blanks %s', (_what, text, redacted) => {
    expect(redactTokenLike(text)).toBe(redacted);
  });

  it('keeps words, hosts and short numbers', () => {
    const text = 'credentials not found in native keychain for https://registry-1.docker.io/v2/ (exit 1)';
    expect(redactTokenLike(text)).toBe(text);
  });
});

import { describe, expect, it } from '@jest/globals';
import { writtenCredentials } from '../../../../src/action/inputs/userinfo.js';

describe('writtenCredentials', () => {
  it.each([
    ['a plain password', 'bot:hunter2@ghcr.io/acme/app:1.0', 'hunter2'],
    ['a slash', 'bot:pa/ss@ghcr.io/acme/app:1.0', 'pa/ss'],
    ['a double quote', 'bot:pa"ss@ghcr.io/acme/app:1.0', 'pa"ss'],
    ['at signs', 'bot:p@ss@ghcr.io/acme/app:1.0', 'p@ss'],
    ['a colon and a comma', 'bot:a:b,c@ghcr.io/acme/app:1.0', 'a:b,c'],
    ['a scheme', 'https://bot:pa/ss@registry.local:5000', 'pa/ss'],
    ['a platform prefix', 'linux/arm/v7=bot:pa/ss@ghcr.io/acme/app@sha256:' + 'a'.repeat(64), 'pa/ss'],
    ['a host entry', 'bot:s3cr"t@registry.local:5000', 's3cr"t'],
  ])('finds a password with %s', (_what, entry, password) => {
    const found = writtenCredentials(`ghcr.io/acme/other:1.0\n${entry}`);
    expect(found).toContain(password);
    expect(found).toContain(`bot:${password}`);
  });

  it('finds one on any item of a comma-separated line', () => {
    expect(writtenCredentials('ghcr.io/acme/app:1.0, bot:pw@ghcr.io/acme/app:2.0')).toContain('pw');
  });

  it.each([
    'ghcr.io/acme/app:1.0',
    'ghcr.io/acme/app@sha256:' + 'a'.repeat(64),
    'registry.local:5000/acme/app:1.0@sha256:' + 'b'.repeat(64),
    'linux/amd64=ghcr.io/acme/app:1.0',
    'oci-layout:out/app.tar',
  ])('finds none in %s', (entry) => {
    expect(writtenCredentials(entry)).toEqual([]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { RegistryError, parseRegistryErrorBody } from '../../../../src/registry/http/registry-error.js';
import { redactUrl } from '../../../../src/common/redact.js';

describe('parseRegistryErrorBody', () => {
  it.each([
    [
      'a distribution error',
      '{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry","detail":"sha256:ab"}]}',
      [{ code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry', detail: 'sha256:ab' }],
    ],
    [
      'several errors, one without message',
      '{"errors":[{"code":"DENIED"},{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository"}]}]}',
      [
        { code: 'DENIED' },
        { code: 'UNAUTHORIZED', message: 'authentication required', detail: [{ Type: 'repository' }] },
      ],
    ],
    ['an entry without code', '{"errors":[{"message":"odd"}]}', [{ code: 'UNKNOWN', message: 'odd' }]],
    [
      'entries that are not objects',
      '{"errors":["text",null,{"code":"NAME_UNKNOWN"}]}',
      [{ code: 'NAME_UNKNOWN' }],
    ],
    ['Docker Hub details JSON', '{"details":"invalid repository name"}', []],
    ['errors that is not an array', '{"errors":"nope"}', []],
    ['a JSON array', '[{"code":"DENIED"}]', []],
    ['plain text', 'invalid repository name', []],
    ['HTML', '<html><body>502 Bad Gateway</body></html>', []],
    ['an empty body', '', []],
  ])('parses %s', (_name, text, expected) => {
    expect(parseRegistryErrorBody(text)).toEqual(expected);
  });
});

describe('redactUrl', () => {
  it.each([
    [
      'a plain registry URL',
      'https://ghcr.io/v2/acme/app/manifests/1.0',
      'https://ghcr.io/v2/acme/app/manifests/1.0',
    ],
    ['userinfo', 'https://user:pa55@registry.test/v2/', 'https://registry.test/v2/'],
    [
      'upload state, keeping other parameters as encoded',
      'https://r.test/v2/a/blobs/uploads/u?_state=abc%3D&digest=sha256%3Aff',
      'https://r.test/v2/a/blobs/uploads/u?_state=redacted&digest=sha256%3Aff',
    ],
    [
      'an S3 presigned URL',
      'https://s3.test/b?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20260101&X-Amz-Date=20260101T000000Z&X-Amz-Expires=1200&X-Amz-Security-Token=tok&X-Amz-Signature=deadbeef',
      'https://s3.test/b?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=redacted&X-Amz-Date=20260101T000000Z&X-Amz-Expires=1200&X-Amz-Security-Token=redacted&X-Amz-Signature=redacted',
    ],
    [
      'an Azure SAS URL',
      'https://a.blob.test/c/b?sv=2024-01-01&se=2026-01-01&sp=r&sig=abc%2B',
      'https://a.blob.test/c/b?sv=2024-01-01&se=2026-01-01&sp=r&sig=redacted',
    ],
    [
      'CloudFront signatures',
      'https://cdn.test/b?Expires=1&Signature=x&Key-Pair-Id=K&Policy=p',
      'https://cdn.test/b?Expires=1&Signature=redacted&Key-Pair-Id=redacted&Policy=redacted',
    ],
    [
      'token-like names',
      'https://auth.test/token?service=r&scope=repository%3Aa%3Apull&access_token=t&refresh_token=u&password=p',
      'https://auth.test/token?service=r&scope=repository%3Aa%3Apull&access_token=redacted&refresh_token=redacted&password=redacted',
    ],
    [
      'mount parameters, which are not secret',
      'https://r.test/v2/b/blobs/uploads/?mount=sha256:ab&from=acme/a',
      'https://r.test/v2/b/blobs/uploads/?mount=sha256:ab&from=acme/a',
    ],
    ['a URL object', new URL('https://u:p@r.test/x?token=t'), 'https://r.test/x?token=redacted'],
    ['text that is not a URL', 'registry.test/v2/x?token=t', 'registry.test/v2/x?redacted'],
    ['a scheme-relative string with userinfo', '//user:pw@host/x', '//host/x'],
  ])('redacts %s', (_name, input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

describe('RegistryError', () => {
  it('keeps the exchange, redacts the URL and exposes the codes', () => {
    const cause = new Error('boom');
    const error = new RegistryError('failed to push manifest', {
      method: 'PUT',
      url: 'https://u:p@r.test/v2/a/manifests/1?_state=s',
      status: 400,
      errors: [{ code: 'MANIFEST_INVALID' }, { code: 'TAG_INVALID', message: 'tag is immutable' }],
      headers: { 'retry-after': '1' },
      cause,
    });

    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'RegistryError',
      message: 'failed to push manifest',
      method: 'PUT',
      url: 'https://r.test/v2/a/manifests/1?_state=redacted',
      status: 400,
      headers: { 'retry-after': '1' },
      cause,
    });
    expect(error.codes).toEqual(['MANIFEST_INVALID', 'TAG_INVALID']);
    expect(error.hasCode('TAG_INVALID')).toBe(true);
    expect(error.hasCode('DENIED')).toBe(false);
  });

  it('defaults to no errors, no headers and no cause', () => {
    const error = new RegistryError('failed', { method: 'GET', url: new URL('https://r.test/'), status: 0 });

    expect(error.codes).toEqual([]);
    expect(error.headers).toEqual({});
    expect('cause' in error).toBe(false);
  });
});

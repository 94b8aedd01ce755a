import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { describeError } from '../../../src/action/describe-error.js';
import { InputError } from '../../../src/action/input-error.js';
import { InvalidManifestError } from '../../../src/oci/oci-error.js';
import { PublishError } from '../../../src/publish/publish-errors.js';
import { AuthenticationError } from '../../../src/registry/auth/authentication-error.js';
import { DockerConfigError } from '../../../src/registry/credentials/config-file.js';
import {
  formatRegistryErrors,
  RegistryError,
  type RegistryErrorDetails,
} from '../../../src/registry/http/registry-error.js';
import { OciLayoutError } from '../../../src/layout/layout-errors.js';
import { TarFormatError } from '../../../src/oci/tar/tar-format-error.js';

/** A RegistryError shaped like the transport's: the registry's own error text is in the message. */
function registryError(details: Partial<RegistryErrorDetails> & { url: string }): RegistryError {
  const quoted = details.errors ? ` ${formatRegistryErrors(details.errors)}` : '';
  const message = `failed to PUT ${details.url}: HTTP ${details.status ?? 0}${quoted}`;
  return new RegistryError(message, { method: 'PUT', status: 0, ...details });
}

describe('describeError titles', () => {
  it.each<[string, unknown, string]>([
    [
      'an input error',
      new InputError('format', 'invalid format "yaml": expected one of auto, oci, docker'),
      'Invalid input',
    ],
    ['a publish refusal', new PublishError('platform linux/s390x is missing'), 'Publish refused'],
    [
      'an authentication error',
      new AuthenticationError('failed to authenticate to ghcr.io'),
      'Authentication failed',
    ],
    ['a broken Docker config', new DockerConfigError('invalid Docker config'), 'Invalid Docker config'],
    ['bad manifest content', new InvalidManifestError('not JSON'), 'Invalid manifest'],
    ['a path that is no OCI layout', new OciLayoutError('no index.json in out/app'), 'Invalid OCI layout'],
    [
      'a broken layout tar',
      new TarFormatError('truncated header in out/app.tar'),
      'Invalid OCI layout archive',
    ],
    ['anything else', new TypeError('x is undefined'), 'Publish failed'],
    ['a thrown string', 'boom', 'Publish failed'],
    ['no response', registryError({ url: 'https://ghcr.io/v2/' }), 'Registry unreachable'],
    [
      'a 401',
      registryError({ url: 'https://ghcr.io/v2/', status: 401, errors: [{ code: 'UNAUTHORIZED' }] }),
      'Authentication failed',
    ],
    [
      'a 403',
      registryError({ url: 'https://quay.io/v2/', status: 403, errors: [{ code: 'DENIED' }] }),
      'Registry access denied (403 DENIED)',
    ],
    [
      'a 404 with two codes',
      registryError({
        url: 'https://quay.io/v2/',
        status: 404,
        errors: [{ code: 'NAME_UNKNOWN' }, { code: 'MANIFEST_UNKNOWN' }],
      }),
      'Registry not found (404 NAME_UNKNOWN, MANIFEST_UNKNOWN)',
    ],
    ['a 429', registryError({ url: 'https://quay.io/v2/', status: 429 }), 'Registry rate limited (429)'],
    ['a 502', registryError({ url: 'https://quay.io/v2/', status: 502 }), 'Registry server error (502)'],
    [
      'a 400',
      registryError({ url: 'https://quay.io/v2/', status: 400, errors: [{ code: 'MANIFEST_INVALID' }] }),
      'Registry request failed (400 MANIFEST_INVALID)',
    ],
    [
      'a registry error wrapped by the use case',
      new Error('failed to push tag ghcr.io/acme/app:1', {
        cause: registryError({ url: 'https://ghcr.io/v2/', status: 403 }),
      }),
      'Registry access denied (403)',
    ],
  ])('%s', (_name, error, title) => {
    expect(describeError(error).title).toBe(title);
  });
});

describe('describeError messages', () => {
  it('joins causes, skipping a cause the message already quotes, and never shows a stack', () => {
    const root = new Error('ECONNRESET');
    const middle = new Error('failed to read blob sha256:1: ECONNRESET', { cause: root });
    const top = new Error('failed to copy blob to ghcr.io/acme/app', { cause: middle });
    const { message } = describeError(top);
    expect(message).toBe('failed to copy blob to ghcr.io/acme/app: failed to read blob sha256:1: ECONNRESET');
  });

  it('spells out an AggregateError with an empty message (Node connection attempts)', () => {
    const attempts = new AggregateError(
      [new Error('connect ECONNREFUSED ::1:5000'), new Error('connect ECONNREFUSED 127.0.0.1:5000')],
      '',
    );
    const error = registryError({ url: 'https://localhost:5000/v2/', cause: attempts });
    expect(describeError(error).message).toBe(
      'failed to PUT https://localhost:5000/v2/: HTTP 0: connect ECONNREFUSED ::1:5000; connect ECONNREFUSED 127.0.0.1:5000',
    );
  });

  it('follows causes of errors from another realm (Node internals seen from a vm context)', () => {
    const foreign: unknown = runInNewContext(
      `new Error('failed to connect', { cause: new Error('ECONNREFUSED') })`,
    );
    expect(describeError(foreign).message).toBe('failed to connect: ECONNREFUSED');
  });

  it('ends on a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(describeError(a).message).toBe('a: b');
  });

  it('describes a non-Error by its text', () => {
    expect(describeError('boom').message).toBe('boom');
  });
});

import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { describeError } from '../../../src/action/errors.js';
import { InputError } from '../../../src/action/input-error.js';
import { InvalidManifestError } from '../../../src/oci/errors.js';
import { PublishError } from '../../../src/publish/errors.js';
import { AuthenticationError } from '../../../src/registry/auth/errors.js';
import { DockerConfigError } from '../../../src/registry/credentials/config-file.js';
import {
  formatRegistryErrors,
  RegistryError,
  type RegistryErrorDetails,
} from '../../../src/registry/errors.js';
import { OciLayoutError, TarFormatError } from '../../../src/layout/errors.js';

const ECR = 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com';

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
      'Registry authentication failed (401 UNAUTHORIZED)',
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

describe('describeError registry hints', () => {
  it.each<[string, RegistryError, ReadonlyMap<string, string>, string[], string[]]>([
    [
      'GHCR 403: packages: write and Manage Actions access',
      registryError({
        url: 'https://ghcr.io/v2/acme/app/blobs/uploads/',
        status: 403,
        errors: [{ code: 'DENIED', message: 'permission_denied: write_package' }],
      }),
      new Map(),
      [
        'permission_denied: write_package',
        '`permissions: packages: write`',
        'Package settings → Manage Actions access',
      ],
      [],
    ],
    [
      'GHCR DENIED on another status',
      registryError({ url: 'https://ghcr.io/token?scope=x', status: 401, errors: [{ code: 'DENIED' }] }),
      new Map(),
      ['`permissions: packages: write`'],
      [],
    ],
    [
      'no GHCR hint for another registry',
      registryError({
        url: 'https://quay.io/v2/acme/app/manifests/1',
        status: 403,
        errors: [{ code: 'DENIED' }],
      }),
      new Map(),
      [],
      ['packages: write'],
    ],
    [
      'ECR NAME_UNKNOWN: create the repository',
      registryError({
        url: `${ECR}/v2/acme/app/blobs/uploads/`,
        status: 404,
        errors: [{ code: 'NAME_UNKNOWN' }],
      }),
      new Map(),
      ['create the repository acme/app first'],
      [],
    ],
    [
      'no ECR hint for NAME_UNKNOWN elsewhere',
      registryError({
        url: 'https://quay.io/v2/acme/app/blobs/uploads/',
        status: 404,
        errors: [{ code: 'NAME_UNKNOWN' }],
      }),
      new Map(),
      [],
      ['create the repository'],
    ],
    [
      '429 with rate-limit headers',
      registryError({
        url: 'https://registry-1.docker.io/v2/library/alpine/manifests/3',
        status: 429,
        headers: {
          'retry-after': '60',
          'ratelimit-limit': '100;w=21600',
          'ratelimit-remaining': '0;w=21600',
          'www-authenticate': 'Bearer x',
        },
      }),
      new Map(),
      ['rate limiting (retry-after: 60, ratelimit-limit: 100;w=21600, ratelimit-remaining: 0;w=21600)'],
      ['Bearer x'],
    ],
    [
      '429 without headers',
      registryError({ url: 'https://quay.io/v2/', status: 429 }),
      new Map(),
      ['sent no rate-limit headers'],
      [],
    ],
    [
      '401: the credentials used for that registry',
      registryError({ url: 'https://ghcr.io/v2/acme/app/manifests/1', status: 401 }),
      new Map([
        ['ghcr.io', 'github-token'],
        ['docker.io', 'anonymous'],
      ]),
      ['credentials for ghcr.io came from github-token'],
      ['docker.io'],
    ],
    [
      '401 from Docker Hub, anonymous',
      registryError({ url: 'https://registry-1.docker.io/v2/acme/app/manifests/1', status: 401 }),
      new Map([['docker.io', 'anonymous']]),
      ['no credentials found for docker.io: set the username and password inputs, or log in first'],
      [],
    ],
    [
      '401 from a token server: every registry looked up',
      registryError({ url: 'https://auth.docker.io/token?service=registry.docker.io', status: 401 }),
      new Map([
        ['docker.io', 'DOCKER_AUTH_CONFIG'],
        ['ghcr.io', 'anonymous'],
      ]),
      ['credentials for docker.io came from DOCKER_AUTH_CONFIG', 'no credentials found for ghcr.io'],
      [],
    ],
    [
      '401 before any lookup',
      registryError({ url: 'https://quay.io/v2/', status: 401 }),
      new Map(),
      ['no credentials were looked up'],
      [],
    ],
  ])('%s', (_name, error, sources, expected, absent) => {
    const { message } = describeError(error, sources);
    expect(message.startsWith(error.message)).toBe(true);
    for (const text of expected) expect(message).toContain(text);
    for (const text of absent) expect(message).not.toContain(text);
  });
});

import { describe, expect, it } from '@jest/globals';
import { describeError } from '../../../../src/action/describe-error.js';
import type {
  CredentialSource,
  RegistryError,
  RegistryErrorEntry,
} from '../../../../src/registry/http/registry-error.js';
import { expectStatus } from '../../../../src/registry/http/response.js';
import type { TransportResponse } from '../../../../src/registry/http/sender.js';

const ECR = 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com';

interface Refusal {
  url: string;
  status: number;
  errors?: RegistryErrorEntry[];
  headers?: Record<string, string>;
  /** Set as the registry session does on a 401 from the registry (and the authenticator on a refused token). */
  credentialSource?: CredentialSource;
}

/** The RegistryError the registry layer throws for this answer: expectStatus reads the body and headers. */
async function refused({
  url,
  status,
  errors,
  headers = {},
  credentialSource,
}: Refusal): Promise<RegistryError> {
  const body = errors ? JSON.stringify({ errors }) : '';
  const response = {
    status,
    url: new URL(url),
    headers: { 'content-type': 'application/json', ...headers },
    text: () => Promise.resolve(body),
  } as unknown as TransportResponse;
  try {
    await expectStatus(response, [200], { method: 'PUT', what: 'push manifest acme/app:1' });
  } catch (error) {
    const refusal = error as RegistryError;
    return credentialSource ? refusal.restated(refusal.message, { credentialSource }) : refusal;
  }
  throw new Error(`expected ${status} to be refused`);
}

describe('describeError registry hints', () => {
  it.each<[string, Refusal, string[], string[]]>([
    [
      'GHCR 403: packages: write and Manage Actions access',
      {
        url: 'https://ghcr.io/v2/acme/app/blobs/uploads/',
        status: 403,
        errors: [{ code: 'DENIED', message: 'permission_denied: write_package' }],
      },
      [
        'permission_denied: write_package',
        '`permissions: packages: write`',
        'Package settings → Manage Actions access',
      ],
      [],
    ],
    [
      'GHCR DENIED on another status',
      { url: 'https://ghcr.io/token?scope=x', status: 401, errors: [{ code: 'DENIED' }] },
      ['`permissions: packages: write`'],
      [],
    ],
    [
      'no GHCR hint for another registry',
      { url: 'https://quay.io/v2/acme/app/manifests/1', status: 403, errors: [{ code: 'DENIED' }] },
      [],
      ['packages: write'],
    ],
    [
      'Docker Hub 401 insufficient_scope: a token with Read & Write scope',
      {
        url: 'https://registry-1.docker.io/v2/acme/app/blobs/uploads/',
        status: 401,
        errors: [{ code: 'UNAUTHORIZED' }],
        headers: {
          'www-authenticate':
            'Bearer realm="https://auth.docker.io/token",scope="repository:acme/app:pull,push",error="insufficient_scope"',
        },
      },
      ['Docker Hub: the token may only pull here', 'Read & Write scope'],
      [],
    ],
    [
      'Docker Hub DENIED',
      {
        url: 'https://registry-1.docker.io/v2/acme/app/manifests/1',
        status: 403,
        errors: [{ code: 'DENIED' }],
      },
      ['Read & Write scope'],
      ['packages: write'],
    ],
    [
      'no Docker Hub hint for a missing manifest',
      {
        url: 'https://registry-1.docker.io/v2/acme/app/manifests/1',
        status: 404,
        errors: [{ code: 'MANIFEST_UNKNOWN' }],
      },
      [],
      ['Read & Write scope'],
    ],
    [
      'ECR NAME_UNKNOWN: create the repository',
      { url: `${ECR}/v2/acme/app/blobs/uploads/`, status: 404, errors: [{ code: 'NAME_UNKNOWN' }] },
      ['create the repository acme/app first'],
      [],
    ],
    [
      'no ECR hint for NAME_UNKNOWN elsewhere',
      { url: 'https://quay.io/v2/acme/app/blobs/uploads/', status: 404, errors: [{ code: 'NAME_UNKNOWN' }] },
      [],
      ['create the repository'],
    ],
    [
      '429 with rate-limit headers',
      {
        url: 'https://registry-1.docker.io/v2/library/alpine/manifests/3',
        status: 429,
        headers: {
          'retry-after': '60',
          'ratelimit-limit': '100;w=21600',
          'ratelimit-remaining': '0;w=21600',
          'www-authenticate': 'Bearer x',
        },
      },
      ['rate limiting (retry-after: 60, ratelimit-limit: 100;w=21600, ratelimit-remaining: 0;w=21600)'],
      ['Bearer x'],
    ],
    ['429 without headers', { url: 'https://quay.io/v2/', status: 429 }, ['sent no rate-limit headers'], []],
    [
      '401: the credentials used for that registry',
      {
        url: 'https://ghcr.io/v2/acme/app/manifests/1',
        status: 401,
        credentialSource: { registry: 'ghcr.io', source: 'github-token' },
      },
      ['credentials for ghcr.io came from github-token'],
      ['docker.io'],
    ],
    [
      '401 from Docker Hub, anonymous',
      {
        url: 'https://registry-1.docker.io/v2/acme/app/manifests/1',
        status: 401,
        credentialSource: {
          registry: 'docker.io',
          source: undefined,
          coverage: 'the username and password inputs are for ghcr.io only, as the registry input says',
        },
      },
      [
        'no credentials found for docker.io (the username and password inputs are for ghcr.io only, as the ' +
          'registry input says): set the username and password inputs with registry: docker.io, or log in to it first',
      ],
      [],
    ],
    [
      '401 from a token server: the credentials it refused',
      {
        url: 'https://auth.docker.io/token?service=registry.docker.io',
        status: 401,
        credentialSource: { registry: 'docker.io', source: 'DOCKER_AUTH_CONFIG' },
      },
      ['credentials for docker.io came from DOCKER_AUTH_CONFIG'],
      ['ghcr.io'],
    ],
    [
      '401 nobody attributed to credentials',
      { url: 'https://quay.io/v2/', status: 401 },
      [],
      ['credentials'],
    ],
  ])('%s', async (_name, refusal, expected, absent) => {
    const error = await refused(refusal);
    const { message } = describeError(error);
    expect(message.startsWith(error.message)).toBe(true);
    for (const text of expected) expect(message).toContain(text);
    for (const text of absent) expect(message).not.toContain(text);
  });

  it('explains a 401 once, even when the operation restates the error', async () => {
    const error = await refused({
      url: 'https://ghcr.io/v2/acme/app/manifests/1',
      status: 401,
      errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }],
      credentialSource: { registry: 'ghcr.io', source: 'github-token' },
    });
    const restated = error.restated(`failed to publish: ${error.message}`, { cause: error });

    const { message } = describeError(restated);

    expect(message.match(/credentials/g)).toHaveLength(1);
    expect(message).toContain('credentials for ghcr.io came from github-token: check they are valid');
  });
});

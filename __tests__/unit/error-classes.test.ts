import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError } from '../../src/action/describe-error.js';
import { ReportedError } from '../../src/common/reported-error.js';
import { RegistryError } from '../../src/registry/http/registry-error.js';

type ErrorClass = new (...args: never[]) => Error;

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
// index.ts is the one module with a top-level effect (it runs the action), and it defines nothing.
const SKIPPED = new Set(['index.ts']);

const REFUSED_TAG = {
  reference: { registry: 'registry.example', repository: 'acme/app', tag: '1.0' },
  status: 'untouched',
};

/** Constructor arguments for every error class in src/: a class missing here fails the test, so add it. */
const CONSTRUCTOR_ARGS: Record<string, unknown[]> = {
  OciError: ['bad content'],
  InvalidReferenceError: ['bad reference'],
  InvalidDigestError: ['bad digest'],
  InvalidPlatformError: ['bad platform'],
  InvalidManifestError: ['bad manifest'],
  UnsupportedMediaTypeError: ['bad media type'],
  IndexBuildError: ['bad index'],
  PublishError: ['refused'],
  MissingPlatformsError: ['linux/s390x is missing', [{ os: 'linux', architecture: 's390x' }]],
  CheckFailedError: [
    'declared linux/arm64 but its config says linux/amd64',
    [],
    { digest: 'sha256:…', source: 'linux/arm64=app:1.0', check: 'declared linux/arm64' },
  ],
  SourceNotFoundError: ['not found'],
  ReferrersRefusedError: ['failed to look up what refers to sha256:… in registry.example/acme/app: 403'],
  OciLayoutError: ['bad layout'],
  TarFormatError: ['bad tar'],
  ArchiveLimitError: ['too many entries'],
  BinaryPlatformError: ['/usr/bin/app is an x86-64 ELF, but the config says linux/arm64'],
  LayerReadError: ['failed to read layer sha256:…: not a tar'],
  DockerConfigError: ['bad config'],
  CredentialHelperError: ['helper failed', false],
  InvalidScopeError: ['bad scope'],
  AuthenticationError: ['refused credentials'],
  ContentTooLargeError: ['too large'],
  SourceReadError: ['source cut'],
  RegistryError: ['failed to GET', { method: 'GET', url: 'https://registry.example/v2/', status: 404 }],
  InputError: ['format', 'invalid format "yaml"'],
  ImmutableTagError: [
    new RegistryError(
      'failed to push manifest registry.example/acme/app:1.0: 400 Bad Request (TAG_INVALID: …)',
      {
        method: 'PUT',
        url: 'https://registry.example/v2/acme/app/manifests/1.0',
        status: 400,
        errors: [{ code: 'TAG_INVALID', message: 'the repository is immutable' }],
      },
    ),
    { registry: 'registry.example', repository: 'acme/app' },
    { registry: 'ECR', advice: 'ECR: publish each release under new tags' },
  ],
  TagMoveError: [[{ record: REFUSED_TAG, error: new Error('403 Forbidden') }], [REFUSED_TAG], new Map()],
  TimedOutError: ["the run's timeout (5s) passed while waiting for GET https://registry.example/v2/"],
  RunCancelledError: ['the run was cancelled (SIGINT)'],
  TagReadBackError: [
    'the registry accepted registry.example/acme/app:1.0 → sha256:…, but it reads back as …',
  ],
};

/** Every exported class under src/ that extends Error, found by walking the tree (files move; names stay). */
async function errorClasses(): Promise<ErrorClass[]> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !SKIPPED.has(file))
    .sort();
  const classes = new Set<ErrorClass>();
  for (const file of files) {
    const exports = (await import(join(SRC, file))) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      if (typeof value === 'function' && value.prototype instanceof Error) classes.add(value as ErrorClass);
    }
  }
  return [...classes];
}

/** An instance of `errorClass`, built with its CONSTRUCTOR_ARGS. */
function build(errorClass: ErrorClass): ReportedError {
  const args = CONSTRUCTOR_ARGS[errorClass.name];
  if (args === undefined)
    throw new Error(`${errorClass.name}: add its constructor arguments to CONSTRUCTOR_ARGS`);
  return new errorClass(...(args as never[])) as ReportedError;
}

const classes = await errorClasses();
// ReportedError is the abstract base the others extend, not a failure of its own.
const concrete = classes.filter((errorClass) => (errorClass as unknown) !== ReportedError);

describe('error classes', () => {
  it('finds the error classes of src/', () => {
    expect(classes).toContain(ReportedError);
    expect(concrete.length).toBeGreaterThan(0);
  });

  it('knows constructor arguments for exactly the error classes src/ defines', () => {
    expect(concrete.map((errorClass) => errorClass.name).sort()).toEqual(
      Object.keys(CONSTRUCTOR_ARGS).sort(),
    );
  });

  it('gives each error class a title of its own', () => {
    const titles = concrete.map((errorClass) => build(errorClass).title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it.each(concrete.map((errorClass) => [errorClass.name, errorClass] as const))(
    '%s extends ReportedError and renders with its own title',
    (_name, errorClass) => {
      expect(errorClass.prototype).toBeInstanceOf(ReportedError);
      const error = build(errorClass);
      const { title } = describeError(error);
      expect(title).toBe(error.title);
      expect(title).not.toBe('');
      expect(title).not.toBe('Publish failed');
    },
  );
});

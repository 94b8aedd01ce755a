import { registryApiHost } from '../oci/reference.js';
import { DIAGNOSTIC_HEADERS, type RegistryError } from '../registry/errors.js';
import { ANONYMOUS } from './credentials.js';

const GHCR_HOST = 'ghcr.io';
const ECR_HOST = /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;
const REPOSITORY_IN_PATH = /^\/v2\/(.+?)\/(?:manifests|blobs|tags|referrers)\//;
const RATE_LIMIT_HEADERS = DIAGNOSTIC_HEADERS.filter((name) => name !== 'www-authenticate');

/** What the user can do about a registry refusal: known registry quirks, rate limits, which credentials were used. */
export function registryHints(
  error: RegistryError,
  credentialSources: ReadonlyMap<string, string>,
): string[] {
  const url = parseUrl(error.url);
  const host = url?.host.toLowerCase() ?? '';
  const hints: string[] = [];
  if (host === GHCR_HOST && (error.status === 403 || error.hasCode('DENIED'))) {
    hints.push(
      'GHCR: the workflow needs `permissions: packages: write`, and the package must grant this repository access ' +
        '(Package settings → Manage Actions access)',
    );
  }
  if (ECR_HOST.test(host) && error.hasCode('NAME_UNKNOWN')) {
    const repository = url && REPOSITORY_IN_PATH.exec(url.pathname)?.[1];
    const name = repository ? ` ${repository}` : '';
    hints.push(
      `ECR does not create repositories on push: create the repository${name} first (aws ecr create-repository)`,
    );
  }
  if (error.status === 429) hints.push(rateLimitHint(error));
  if (error.status === 401) hints.push(credentialsHint(host, credentialSources));
  return hints;
}

function rateLimitHint(error: RegistryError): string {
  const headers = RATE_LIMIT_HEADERS.filter((name) => error.headers[name] !== undefined).map(
    (name) => `${name}: ${error.headers[name]}`,
  );
  return headers.length === 0
    ? 'the registry is rate limiting and sent no rate-limit headers; try again later'
    : `the registry is rate limiting (${headers.join(', ')})`;
}

function credentialsHint(host: string, sources: ReadonlyMap<string, string>): string {
  const registry = [...sources.keys()].find((name) => registryApiHost(name).toLowerCase() === host);
  const entries = registry === undefined ? [...sources] : [[registry, sources.get(registry) ?? ANONYMOUS]];
  if (entries.length === 0) return 'no credentials were looked up before the failure';
  return entries
    .map(([name, source]) =>
      source === ANONYMOUS
        ? `no credentials found for ${name}: set the username and password inputs, or log in first (docker/login-action)`
        : `credentials for ${name} came from ${source}: check they are valid and may access this repository`,
    )
    .join('; ');
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

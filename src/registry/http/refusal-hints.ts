import { MIXED_INDEX_HINT, refusesMixedIndex } from '../quirks/mixed-index.js';
import { registryHints } from '../quirks/registry-hints.js';

/** Which credentials a refused request carried: where they came from, or none (anonymous). */
export interface CredentialSource {
  /** As written in references: `ghcr.io`, `docker.io`. */
  registry: string;
  /** `the username and password inputs`, `DOCKER_AUTH_CONFIG`…; undefined when none were found. */
  source: string | undefined;
  /** Which credentials apply where (`CredentialStore.coverage`), told when none applied here. */
  coverage?: string | undefined;
}

/** The rate-limit response headers: what a 429 is explained with. */
export const RATE_LIMIT_HEADERS = [
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'docker-ratelimit-source',
] as const;

/** What the hints look at in a failed exchange. */
export interface RefusalFacts {
  url: string;
  status: number;
  codes: string[];
  errors: ReadonlyArray<{ code: string; message?: string; detail?: unknown }>;
  headers: Record<string, string>;
  credentialSource: CredentialSource | undefined;
}

/** What the user can do about a registry refusal: known registry quirks, rate limits, which credentials were used. */
export function refusalHints(facts: RefusalFacts): string[] {
  const hints = registryHints({ ...facts, url: parseUrl(facts.url) });
  if (refusesMixedIndex(facts.errors)) hints.push(MIXED_INDEX_HINT);
  if (facts.status === 429) hints.push(rateLimitHint(facts.headers));
  if (facts.status === 401 && facts.credentialSource) hints.push(credentialsHint(facts.credentialSource));
  return hints;
}

function rateLimitHint(headers: Record<string, string>): string {
  const present = RATE_LIMIT_HEADERS.filter((name) => headers[name] !== undefined).map(
    (name) => `${name}: ${headers[name]}`,
  );
  return present.length === 0
    ? 'the registry is rate limiting and sent no rate-limit headers; try again later'
    : `the registry is rate limiting (${present.join(', ')})`;
}

/** What to do about credentials a registry refused or never got: the one hint every authentication failure gives. */
export function credentialsHint({ registry, source, coverage }: CredentialSource): string {
  if (source !== undefined) {
    return `credentials for ${registry} came from ${source}: check they are valid and may access this repository`;
  }
  const where = coverage === undefined ? '' : ` (${coverage})`;
  return (
    `no credentials found for ${registry}${where}: set the username and password inputs with registry: ${registry}, ` +
    'or log in to it first (docker/login-action)'
  );
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

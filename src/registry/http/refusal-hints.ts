/** Which credentials a refused request carried: where they came from, or none (anonymous). */
export interface CredentialSource {
  /** As written in references: `ghcr.io`, `docker.io`. */
  registry: string;
  /** `the username and password inputs`, `DOCKER_AUTH_CONFIG`…; undefined when none were found. */
  source: string | undefined;
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
  headers: Record<string, string>;
  credentialSource: CredentialSource | undefined;
}

const GHCR_HOST = 'ghcr.io';
const DOCKER_HUB_HOSTS = ['registry-1.docker.io', 'index.docker.io', 'docker.io'];
const ECR_HOST = /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;
const REPOSITORY_IN_PATH = /^\/v2\/(.+?)\/(?:manifests|blobs|tags|referrers)\//;

/** What the user can do about a registry refusal: known registry quirks, rate limits, which credentials were used. */
export function refusalHints(facts: RefusalFacts): string[] {
  const url = parseUrl(facts.url);
  const host = url?.host.toLowerCase() ?? '';
  const hints: string[] = [];
  if (host === GHCR_HOST && (facts.status === 403 || facts.codes.includes('DENIED'))) {
    hints.push(
      'GHCR: the workflow needs `permissions: packages: write`, and the package must grant this repository access ' +
        '(Package settings → Manage Actions access)',
    );
  }
  if (DOCKER_HUB_HOSTS.includes(host) && refusedScope(facts)) {
    hints.push(
      'Docker Hub: the token may only pull here: use a personal access token with Read & Write scope (Account ' +
        "settings → Personal access tokens), and for an organization's repository a team with write access",
    );
  }
  if (ECR_HOST.test(host) && facts.codes.includes('NAME_UNKNOWN')) {
    const repository = url && REPOSITORY_IN_PATH.exec(url.pathname)?.[1];
    const name = repository ? ` ${repository}` : '';
    hints.push(
      `ECR does not create repositories on push: create the repository${name} first (aws ecr create-repository)`,
    );
  }
  if (facts.status === 429) hints.push(rateLimitHint(facts.headers));
  if (facts.status === 401 && facts.credentialSource) hints.push(credentialsHint(facts.credentialSource));
  return hints;
}

/** A refusal for want of scope: 403, DENIED, or a challenge answering `error="insufficient_scope"`. */
function refusedScope(facts: RefusalFacts): boolean {
  const challenge = facts.headers['www-authenticate'] ?? '';
  return facts.status === 403 || facts.codes.includes('DENIED') || /insufficient_scope/i.test(challenge);
}

function rateLimitHint(headers: Record<string, string>): string {
  const present = RATE_LIMIT_HEADERS.filter((name) => headers[name] !== undefined).map(
    (name) => `${name}: ${headers[name]}`,
  );
  return present.length === 0
    ? 'the registry is rate limiting and sent no rate-limit headers; try again later'
    : `the registry is rate limiting (${present.join(', ')})`;
}

function credentialsHint({ registry, source }: CredentialSource): string {
  return source === undefined
    ? `no credentials found for ${registry}: set the username and password inputs, or log in first (docker/login-action)`
    : `credentials for ${registry} came from ${source}: check they are valid and may access this repository`;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

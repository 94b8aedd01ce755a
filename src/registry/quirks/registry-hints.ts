import { DOCKER_HUB_HOSTS, ECR_HOST, GHCR_HOST } from './registry-hosts.js';

/** What a per-registry hint looks at in a refused exchange. */
export interface RefusedExchange {
  url: URL | undefined;
  status: number;
  codes: string[];
  headers: Record<string, string>;
}

const REPOSITORY_IN_PATH = /^\/v2\/(.+?)\/(?:manifests|blobs|tags|referrers)\//;

/** A refusal for want of scope: 403, DENIED, or a challenge answering `error="insufficient_scope"`. */
function refusedScope({ status, codes, headers }: RefusedExchange): boolean {
  const challenge = headers['www-authenticate'] ?? '';
  return status === 403 || codes.includes('DENIED') || /insufficient_scope/i.test(challenge);
}

/** What to do about a refusal that only one registry gives this way. */
export function registryHints(exchange: RefusedExchange): string[] {
  const { url, status, codes } = exchange;
  const host = url?.host.toLowerCase() ?? '';
  const hints: string[] = [];
  // GHCR refuses a GITHUB_TOKEN without packages: write, or for a package that has not granted the repository
  // access (docs.github.com, "Configuring a package's access control and visibility").
  if (host === GHCR_HOST && (status === 403 || codes.includes('DENIED'))) {
    hints.push(
      'GHCR: the workflow needs `permissions: packages: write`, and the package must grant this repository access ' +
        '(Package settings → Manage Actions access)',
    );
  }
  // Docker Hub mints a token without the scopes the credentials lack and refuses later (distribution#1203).
  if (DOCKER_HUB_HOSTS.includes(host) && refusedScope(exchange)) {
    hints.push(
      'Docker Hub: the token may only pull here: use a personal access token with Read & Write scope (Account ' +
        "settings → Personal access tokens), and for an organization's repository a team with write access",
    );
  }
  // ECR does not create repositories on push: NAME_UNKNOWN (regclient#869, plexsystems/sinker#55).
  if (ECR_HOST.test(host) && codes.includes('NAME_UNKNOWN')) {
    const repository = url && REPOSITORY_IN_PATH.exec(url.pathname)?.[1];
    const name = repository ? ` ${repository}` : '';
    hints.push(
      `ECR does not create repositories on push: create the repository${name} first (aws ecr create-repository)`,
    );
  }
  return hints;
}

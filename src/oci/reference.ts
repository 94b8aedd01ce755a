import { type Digest, looksLikeBareDigest, parseDigest } from './digest.js';
import { InvalidReferenceError } from './oci-error.js';

/** A repository on a registry, normalized (`docker.io`, `library/` for one-part Docker Hub names). */
export interface RepositoryName {
  /** `host[:port]` as written, except Docker Hub aliases, which become `docker.io`. */
  registry: string;
  /** The lowercase repository path, e.g. `acme/app` or `library/alpine`. */
  repository: string;
}

/** An image reference; when both are present the digest decides what is fetched, the tag is for display. */
export interface Reference extends RepositoryName {
  tag?: string;
  digest?: Digest;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_LEGACY = 'index.docker.io';
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
const DOCKER_HUB_CREDENTIALS_KEY = 'https://index.docker.io/v1/';
const MAX_REPOSITORY_LENGTH = 255;

// distribution/reference regexp.go, with the domain split off before matching.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const BARE_IDENTIFIER = /^[a-f0-9]{64}$/;
const EXPECTED = 'expected [REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST], e.g. "ghcr.io/acme/app:1.0"';

/** Parses an image reference per the distribution grammar, normalizing Docker Hub names. Trims nothing. */
export function parseReference(text: string): Reference {
  const fail = (why: string, cause?: unknown): never => {
    throw new InvalidReferenceError(`invalid reference "${text}": ${why}; ${EXPECTED}`, { cause });
  };
  if (text === '') fail('empty');
  if (looksLikeBareDigest(text)) {
    fail(
      'a bare digest is only accepted in `sources` (looked up in each target repository), not as an image reference',
    );
  }
  if (BARE_IDENTIFIER.test(text)) {
    fail('a bare 64-character hex string is an image ID, not a repository name');
  }

  const at = text.indexOf('@');
  const nameAndTag = at === -1 ? text : text.slice(0, at);
  let digest: Digest | undefined;
  if (at !== -1) {
    try {
      digest = parseDigest(text.slice(at + 1));
    } catch (error) {
      // The digest error already says what a digest must look like.
      throw new InvalidReferenceError(`invalid reference "${text}": ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > nameAndTag.lastIndexOf('/');
  const name = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(colon + 1) : undefined;
  if (tag !== undefined && !TAG.test(tag)) {
    fail(`bad tag "${tag}": up to 128 letters, digits, "_", "." or "-", not starting with "." or "-"`);
  }

  if (name === '') fail('missing repository name');
  const { registry, repository } = splitRegistry(name);
  if (!DOMAIN.test(registry)) fail(`bad registry host "${registry}"`);
  if (repository !== repository.toLowerCase()) fail(`repository name must be lowercase ("${repository}")`);
  if (repository.length > MAX_REPOSITORY_LENGTH) {
    fail(`repository path is ${repository.length} characters, at most ${MAX_REPOSITORY_LENGTH} are allowed`);
  }
  const badComponent = repository.split('/').find((component) => !PATH_COMPONENT.test(component));
  if (badComponent !== undefined) {
    fail(
      `bad path component "${badComponent}": lowercase letters and digits, separated by ".", "_", "__" or "-"`,
    );
  }
  return { registry, repository, ...(tag !== undefined && { tag }), ...(digest && { digest }) };
}

// distribution/reference splitDockerDomain: the first component is a host only if it looks like one.
function splitRegistry(name: string): RepositoryName {
  const slash = name.indexOf('/');
  const first = name.slice(0, slash);
  const isHost =
    slash !== -1 && (first === 'localhost' || /[.:]/.test(first) || first !== first.toLowerCase());
  if (!isHost) return dockerHub(name);
  if (first === DOCKER_HUB || first === DOCKER_HUB_LEGACY) return dockerHub(name.slice(slash + 1));
  return { registry: first, repository: name.slice(slash + 1) };
}

function dockerHub(path: string): RepositoryName {
  return { registry: DOCKER_HUB, repository: path.includes('/') ? path : `library/${path}` };
}

/** `registry/repository[:tag][@digest]`, always with the registry. */
export function formatReference(ref: Reference): string {
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return `${formatRepository(ref)}${tag}${digest}`;
}

/** `registry/repository`. */
export function formatRepository(repo: RepositoryName): string {
  return `${repo.registry}/${repo.repository}`;
}

/** What goes in `/v2/<name>/manifests/<identifier>`: the digest, else the tag, else `latest`. */
export function manifestIdentifier(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** True when both name the same repository; host names compare case-insensitively. */
export function sameRepository(a: RepositoryName, b: RepositoryName): boolean {
  return a.registry.toLowerCase() === b.registry.toLowerCase() && a.repository === b.repository;
}

/** A registry host as references name it: Docker Hub's aliases become `docker.io`. */
export function normalizeRegistry(host: string): string {
  const lower = host.toLowerCase();
  return lower === DOCKER_HUB_LEGACY || lower === DOCKER_HUB_API_HOST ? DOCKER_HUB : host;
}

/** The host that serves the registry API: Docker Hub's is `registry-1.docker.io`. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
}

/** The key docker/login-action writes credentials under: Docker Hub's is `https://index.docker.io/v1/`. */
export function registryCredentialsKey(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_CREDENTIALS_KEY : registry;
}

/** True for `localhost`, `127.0.0.0/8` and `[::1]`, with or without a port. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = hostOf(registry).toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '[0:0:0:0:0:0:0:1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}

function hostOf(registry: string): string {
  if (registry.startsWith('[')) {
    const close = registry.indexOf(']');
    return close === -1 ? registry : registry.slice(0, close + 1);
  }
  const colon = registry.indexOf(':');
  return colon === -1 ? registry : registry.slice(0, colon);
}

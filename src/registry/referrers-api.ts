import type { Digest } from '../oci/digest.js';
import { sha256Digest } from '../oci/digest.js';
import { parseJsonObject } from '../oci/json-fields.js';
import { type Descriptor, parseManifest } from '../oci/manifest.js';
import { MediaType, stripMediaTypeParameters } from '../oci/media-types.js';
import { formatRepository, type RepositoryName } from '../oci/reference.js';
import { RegistryError } from './http/registry-error.js';
import { MAX_MANIFEST_READ_BYTES } from './manifests.js';
import { readPages } from './pages.js';
import { pullScope, type RegistrySession } from './auth/session.js';
import type { TransportResponse } from './http/sender.js';
import { NO_REFERRERS_API, NO_TAG_LIST } from './quirks/answers.js';

/**
 * What refers to `subject` in `repo`, through the referrers API (`GET /v2/<name>/referrers/<digest>`, every page),
 * or undefined when the registry has no such API. With `artifactType`, only referrers of that type: the registry
 * filters when it says so in `OCI-Filters-Applied`, else the filter is applied here.
 */
export async function listReferrers(
  session: RegistrySession,
  repo: RepositoryName,
  subject: Digest,
  artifactType?: string,
): Promise<Descriptor[] | undefined> {
  const what = `list referrers of ${formatRepository(repo)}@${subject}`;
  const query = artifactType === undefined ? '' : `?artifactType=${encodeURIComponent(artifactType)}`;
  const pages = await readPages(
    session,
    {
      registry: repo.registry,
      target: `/v2/${repo.repository}/referrers/${subject}${query}`,
      method: 'GET',
      scopes: [pullScope(repo)],
      what,
      headers: { accept: MediaType.OciIndex },
    },
    MAX_MANIFEST_READ_BYTES,
    hasReferrersApi,
  );
  return pages?.flatMap(({ bytes, headers }) => {
    const raw = { mediaType: MediaType.OciIndex, bytes, digest: sha256Digest(bytes) };
    const parsed = parseManifest(raw, `the answer to ${what}`);
    const manifests = parsed.kind === 'index' ? parsed.index.manifests : [];
    const filtered = (headers['oci-filters-applied'] ?? '')
      .split(',')
      .some((name) => name.trim() === 'artifactType');
    return artifactType === undefined || filtered
      ? manifests
      : manifests.filter((d) => d.artifactType === artifactType);
  });
}

/**
 * A registry with the API answers 200 with an OCI index. Anything else that is not an error status means it has
 * none: `NO_REFERRERS_API`, or a redirect to a page that is no index (GHCR sends a 303 to an API of github.com).
 */
function hasReferrersApi(response: TransportResponse): boolean {
  if (NO_REFERRERS_API.includes(response.status)) return false;
  if (response.status !== 200) return true; // an error, which the caller reports
  return stripMediaTypeParameters(response.headers['content-type'] ?? '') === MediaType.OciIndex;
}

/** Every tag of `repo` (`GET /v2/<name>/tags/list`, every page), or undefined when the registry does not list them. */
export async function listTags(
  session: RegistrySession,
  repo: RepositoryName,
): Promise<string[] | undefined> {
  const what = `list tags of ${formatRepository(repo)}`;
  const pages = await readPages(
    session,
    {
      registry: repo.registry,
      target: `/v2/${repo.repository}/tags/list`,
      method: 'GET',
      scopes: [pullScope(repo)],
      what,
      headers: { accept: 'application/json' },
    },
    MAX_MANIFEST_READ_BYTES,
    (response) => !NO_TAG_LIST.includes(response.status),
  );
  if (pages === undefined) return undefined;
  return pages.flatMap(({ bytes, url }) => {
    const fail = (problem: string, cause?: unknown): never => {
      throw new RegistryError(`failed to ${what}: ${problem}`, { method: 'GET', url, status: 200, cause });
    };
    const tags = parseJsonObject(bytes, fail).tags;
    // distribution answers `"tags": null` for a repository whose tags were all deleted.
    if (tags === null || tags === undefined) return [];
    if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
      return fail('"tags" is not a list of strings');
    }
    return tags as string[];
  });
}

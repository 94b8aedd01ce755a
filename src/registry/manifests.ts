import { isDigest, sha256Digest, type Digest } from '../oci/digest.js';
import { InvalidDigestError, InvalidManifestError } from '../oci/oci-error.js';
import type { RawManifest } from '../oci/manifest.js';
import { MANIFEST_MEDIA_TYPES, stripMediaTypeParameters } from '../oci/media-types.js';
import { formatRepository, type RepositoryName } from '../oci/reference.js';
import type { ManifestInfo } from './api.js';
import { repositoryScope } from './auth/scopes.js';
import { inContext } from './auth/in-context.js';
import { pullScope, pushScope, type RegistrySession, type SessionRequest } from './auth/session.js';
import type { TransportMethod, TransportResponse } from './http/sender.js';
import { ContentTooLargeError } from './content/verify-content.js';
import { MANIFEST_HEAD_ASKED_AGAIN, isRefusedAsAbsent } from './quirks/answers.js';
import { RegistryError } from './http/registry-error.js';
import { explainRefusedDelete, explainRefusedPut } from './refused-writes.js';

/** Manifests read are capped here (regclient's pull limit): indexes of many platforms stay far below. */
export const MAX_MANIFEST_READ_BYTES = 8 * 1024 * 1024;
/** Manifests pushed are capped here: distribution refuses larger bodies, and the spec only promises 4 MB. */
export const MAX_MANIFEST_PUSH_BYTES = 4 * 1024 * 1024;

// Without one of these types in Accept, registries answer 404 or convert the manifest (a different digest).
const ACCEPT_MANIFESTS = MANIFEST_MEDIA_TYPES.join(', ');
// containerd's list: some registries answer a manifest PUT with 200, 202 or 204 instead of 201.
const PUT_SUCCESS = [200, 201, 202, 204];

/**
 * What the registry has at `reference`, from a HEAD (which Docker Hub does not count as a pull); a GET when the
 * HEAD is refused (405), incomplete (no digest, length or type) or names another digest than the one asked for.
 * Undefined when the registry has no such manifest.
 */
export async function headManifest(
  session: RegistrySession,
  repo: RepositoryName,
  reference: string,
): Promise<ManifestInfo | undefined> {
  const req = manifestRequest('HEAD', repo, reference, `check manifest ${manifestRef(repo, reference)}`);
  // A HEAD carries no error body: for the answers registries give instead of 200, the GET says which it is.
  const head = await unlessAbsent(session, req, [200, ...MANIFEST_HEAD_ASKED_AGAIN]);
  if (head === undefined) return undefined;
  await head.discard();
  const info = head.status === 200 ? infoFromHeaders(head.headers) : undefined;
  if (info !== undefined && (!isDigest(reference) || info.digest === reference)) return info;
  const get = await unlessAbsent(
    session,
    { ...req, method: 'GET', bufferBody: MAX_MANIFEST_READ_BYTES },
    [200],
  ).catch((error: unknown) => {
    if (error instanceof RegistryError && isRefusedAsAbsent(error.status, error.errors)) return undefined;
    throw error;
  });
  if (get === undefined) return undefined;
  const raw = await readManifest(get, reference, req.what);
  return { mediaType: raw.mediaType, digest: raw.digest, size: raw.bytes.byteLength };
}

/**
 * The manifest's exact bytes (at most 8 MiB) and media type. The digest is computed here and must match a digest
 * reference and the registry's Docker-Content-Digest. Throws RegistryError (404 …) when there is none.
 */
export async function getManifest(
  session: RegistrySession,
  repo: RepositoryName,
  reference: string,
): Promise<RawManifest> {
  const req: SessionRequest = {
    ...manifestRequest('GET', repo, reference, `read manifest ${manifestRef(repo, reference)}`),
    bufferBody: MAX_MANIFEST_READ_BYTES,
  };
  const response = await session.request(req);
  await session.expectStatus(response, [200], req);
  return readManifest(response, reference, req.what);
}

/** What a manifest PUT stored. */
export interface PushedManifest {
  digest: Digest;
  /**
   * The registry answered `OCI-Subject`: it indexed the manifest's `subject` for its referrers API. Without it, the
   * client keeps the referrers tag up to date itself.
   */
  subjectIndexed: boolean;
}

/**
 * PUTs the exact bytes with Content-Type = their media type; returns their digest, checked against the one the
 * registry reports. Manifests over 4 MiB are refused before anything is sent.
 */
export async function putManifest(
  session: RegistrySession,
  repo: RepositoryName,
  reference: string,
  manifest: RawManifest,
): Promise<PushedManifest> {
  const what = `push manifest ${manifestRef(repo, reference)}`;
  const size = manifest.bytes.byteLength;
  if (size > MAX_MANIFEST_PUSH_BYTES) {
    throw new ContentTooLargeError(
      `failed to ${what}: it is ${size} bytes, registries accept at most ${MAX_MANIFEST_PUSH_BYTES} (4 MiB)`,
    );
  }
  const digest = sha256Digest(manifest.bytes);
  if (digest !== manifest.digest) {
    throw new InvalidDigestError(`failed to ${what}: its bytes hash to ${digest}, not to ${manifest.digest}`);
  }
  const req: SessionRequest = {
    ...manifestRequest('PUT', repo, reference, what),
    scopes: [pushScope(repo)],
    headers: { 'content-type': manifest.mediaType },
    body: manifest.bytes,
  };
  const response = await session.request(req);
  try {
    await session.expectStatus(response, PUT_SUCCESS, req);
  } catch (error) {
    throw explainRefusedPut(error, repo, isDigest(reference) ? undefined : reference);
  }
  await response.discard();
  const stored = response.headers['docker-content-digest'];
  if (stored !== undefined && stored !== digest) {
    throw new InvalidDigestError(
      `failed to ${what}: the registry stored it as ${stored}, but its bytes hash to ${digest}`,
    );
  }
  return { digest, subjectIndexed: response.headers['oci-subject'] !== undefined };
}

/** DELETEs the tag alone (OCI distribution spec); the manifest it pointed at stays, by digest. */
export async function deleteTag(session: RegistrySession, repo: RepositoryName, tag: string): Promise<void> {
  const req: SessionRequest = {
    ...manifestRequest('DELETE', repo, tag, `delete tag ${manifestRef(repo, tag)}`),
    // Token servers grant deletes only when asked for them.
    scopes: [repositoryScope(repo.repository, ['pull', 'push', 'delete'])],
  };
  const response = await session.request(req);
  try {
    await session.expectStatus(response, [200, 202, 204], req);
  } catch (error) {
    throw explainRefusedDelete(error, repo);
  }
  await response.discard();
}

/** `registry/repository:tag` or `registry/repository@sha256:…`. */
function manifestRef(repo: RepositoryName, reference: string): string {
  return `${formatRepository(repo)}${isDigest(reference) ? '@' : ':'}${reference}`;
}

function manifestRequest(
  method: TransportMethod,
  repo: RepositoryName,
  reference: string,
  what: string,
): SessionRequest {
  return {
    registry: repo.registry,
    target: `/v2/${repo.repository}/manifests/${reference}`,
    method,
    scopes: [pullScope(repo)],
    what,
    headers: { accept: ACCEPT_MANIFESTS },
  };
}

/** Sends `req`: undefined on a 404, else the response, once its status is one of `expected`. */
async function unlessAbsent(
  session: RegistrySession,
  req: SessionRequest,
  expected: number[],
): Promise<TransportResponse | undefined> {
  const response = await session.request(req);
  if (response.status === 404) {
    await response.discard();
    return undefined;
  }
  await session.expectStatus(response, expected, req);
  return response;
}

async function readManifest(
  response: TransportResponse,
  reference: string,
  what: string,
): Promise<RawManifest> {
  let bytes: Uint8Array;
  try {
    bytes = await response.bytes(MAX_MANIFEST_READ_BYTES);
  } catch (error) {
    throw inContext(what, error);
  }
  const digest = sha256Digest(bytes);
  const claimed = response.headers['docker-content-digest'];
  if (claimed !== undefined && claimed !== digest) {
    throw new InvalidDigestError(
      `failed to ${what}: the registry gives its digest as ${claimed}, but the bytes hash to ${digest}`,
    );
  }
  if (isDigest(reference) && reference !== digest) {
    throw new InvalidDigestError(
      `failed to ${what}: the bytes hash to ${digest}, not to the digest asked for`,
    );
  }
  const mediaType = stripMediaTypeParameters(response.headers['content-type'] ?? '');
  if (mediaType === '') {
    throw new InvalidManifestError(`failed to ${what}: the registry sent it without a Content-Type`);
  }
  return { mediaType, bytes, digest };
}

function infoFromHeaders(headers: Record<string, string>): ManifestInfo | undefined {
  const digest = headers['docker-content-digest'];
  const length = headers['content-length'];
  const mediaType = stripMediaTypeParameters(headers['content-type'] ?? '');
  if (digest === undefined || !isDigest(digest) || length === undefined || !/^\d+$/.test(length)) {
    return undefined;
  }
  return mediaType === '' ? undefined : { mediaType, digest, size: Number(length) };
}

import type { Digest } from '../oci/digest.js';
import { InvalidDigestError } from '../oci/oci-error.js';
import type { Descriptor } from '../oci/manifest.js';
import { formatRepository, type RepositoryName } from '../oci/reference.js';
import { AuthenticationError } from './auth/authentication-error.js';
import { inContext } from './auth/in-context.js';
import { pullScope, pushScope, type RegistrySession, type SessionRequest } from './auth/session.js';
import type { TransportMethod, TransportResponse } from './http/sender.js';
import { uploadLocation, withDigest } from './http/upload-location.js';
import { ContentTooLargeError, verifyContent, type VerifyingStream } from './content/verify-content.js';
import { BLOB_GET_REFUSED_AS_ABSENT, BLOB_HEAD_ASKED_AGAIN, UPLOAD_CLOSED } from './quirks/answers.js';

/** What a mount request achieved: the blob is there, the registry opened an upload session instead, or it refused. */
export type MountOutcome =
  { kind: 'mounted' } | { kind: 'session'; location: URL } | { kind: 'refused'; status: number };

/**
 * True when `repo` holds the blob (HEAD 200), false on 404. A HEAD answered as `BLOB_HEAD_ASKED_AGAIN` is asked
 * again as a one-byte GET: 200 or 206 is there; 404 or a refusal counts as absent, and the mount or upload that
 * follows tells whether we may write.
 */
export async function hasBlob(
  session: RegistrySession,
  repo: RepositoryName,
  digest: Digest,
): Promise<boolean> {
  const req = blobRequest('HEAD', repo, digest, `check blob ${blobRef(repo, digest)}`);
  const head = await session.request(req);
  if (head.status !== BLOB_HEAD_ASKED_AGAIN) return present(session, head, [200], req);
  await head.discard();
  const get = { ...req, method: 'GET' as const, headers: { range: 'bytes=0-0' } };
  const response = await session.request(get);
  if (BLOB_GET_REFUSED_AS_ABSENT.includes(response.status)) {
    await response.discard();
    return false;
  }
  return present(session, response, [200, 206], get);
}

async function present(
  session: RegistrySession,
  response: TransportResponse,
  expected: number[],
  req: SessionRequest,
): Promise<boolean> {
  if (response.status === 404) {
    await response.discard();
    return false;
  }
  await session.expectStatus(response, expected, req);
  await response.discard();
  return true;
}

/**
 * A small blob (a config) in memory, size- and digest-verified; refused before the GET when its descriptor is
 * larger than `maxBytes`. Redirects to storage are followed without the registry's Authorization.
 */
export async function readBlob(
  session: RegistrySession,
  repo: RepositoryName,
  descriptor: Descriptor,
  maxBytes: number,
): Promise<Uint8Array> {
  const what = `read blob ${blobRef(repo, descriptor.digest)}`;
  if (descriptor.size > maxBytes) {
    throw new ContentTooLargeError(
      `failed to ${what}: its descriptor gives ${descriptor.size} bytes, more than the limit of ${maxBytes}`,
    );
  }
  const req = { ...blobRequest('GET', repo, descriptor.digest, what), bufferBody: descriptor.size };
  const response = await session.request(req);
  await session.expectStatus(response, [200], req);
  let bytes: Uint8Array;
  try {
    bytes = await response.bytes(descriptor.size);
  } catch (error) {
    throw inContext(what, error);
  }
  verifyContent(bytes, descriptor, what);
  return bytes;
}

/**
 * Asks `to`'s registry to mount the blob from `from` (same registry), with a token that also allows pull on `from`.
 * A 4xx is a refusal to fall back from, not an error: registries answer 401, 403, 404 or 400 when they cannot mount.
 */
export async function mountBlob(
  session: RegistrySession,
  from: RepositoryName,
  to: RepositoryName,
  digest: Digest,
): Promise<MountOutcome> {
  const query = new URLSearchParams({ mount: digest, from: from.repository });
  const req: SessionRequest = {
    ...uploadsRequest(to, `mount blob ${digest} from ${formatRepository(from)} into ${formatRepository(to)}`),
    target: `/v2/${to.repository}/blobs/uploads/?${query}`,
    scopes: [pushScope(to), pullScope(from)],
  };
  let response: TransportResponse;
  try {
    response = await session.request(req);
  } catch (error) {
    // An anonymous registry that challenges the mount (401 Basic, and no credentials to answer with).
    if (error instanceof AuthenticationError) return { kind: 'refused', status: 401 };
    throw error;
  }
  if (response.status >= 400 && response.status < 500) {
    await response.discard();
    return { kind: 'refused', status: response.status };
  }
  await session.expectStatus(response, [201, 202], req);
  await response.discard();
  return response.status === 201
    ? { kind: 'mounted' }
    : { kind: 'session', location: uploadLocation(response, req.what) };
}

/** Opens an upload session in `to`; the POST has no body, so it also gets the push token before any bytes flow. */
export async function openUpload(session: RegistrySession, to: RepositoryName, digest: Digest): Promise<URL> {
  const req = uploadsRequest(to, `open an upload of ${digest} to ${formatRepository(to)}`);
  const response = await session.request(req);
  await session.expectStatus(response, [202], req);
  await response.discard();
  return uploadLocation(response, req.what);
}

/** Drops an upload session that will not be used; failures only leave it to expire. */
export async function cancelUpload(
  session: RegistrySession,
  to: RepositoryName,
  location: URL,
): Promise<void> {
  const req: SessionRequest = {
    registry: to.registry,
    target: location,
    method: 'DELETE',
    scopes: [pushScope(to)],
    what: `cancel an upload to ${formatRepository(to)}`,
    role: 'cleanup',
  };
  await session.request(req).then(
    (response) => response.discard(),
    () => undefined,
  );
}

/** GETs the blob for a streamed copy; the caller must consume or discard the response. */
export async function openBlobStream(
  session: RegistrySession,
  from: RepositoryName,
  descriptor: Descriptor,
): Promise<TransportResponse> {
  const req = blobRequest('GET', from, descriptor.digest, `read blob ${blobRef(from, descriptor.digest)}`);
  const response = await session.request(req);
  await session.expectStatus(response, [200], req);
  const length = response.headers['content-length'];
  if (length !== undefined && Number(length) !== descriptor.size) {
    await response.discard();
    throw new InvalidDigestError(
      `failed to ${req.what}: the registry sends ${length} bytes, its descriptor gives ${descriptor.size}`,
    );
  }
  return response;
}

/**
 * PUTs `body` (the verified source stream) to the upload session at `location` with `digest` and an exact
 * Content-Length. The PUT is never retried or re-sent on its own: its body cannot be replayed.
 */
export async function uploadBlob(
  session: RegistrySession,
  to: RepositoryName,
  location: URL,
  descriptor: Descriptor,
  body: VerifyingStream,
): Promise<void> {
  const req: SessionRequest = {
    registry: to.registry,
    target: withDigest(location, descriptor.digest),
    method: 'PUT',
    scopes: [pushScope(to)],
    what: `upload blob ${blobRef(to, descriptor.digest)}`,
    headers: { 'content-type': 'application/octet-stream' },
    body: () => body,
    contentLength: descriptor.size,
    idempotent: false,
  };
  let response: TransportResponse;
  try {
    response = await session.request(req);
    await session.expectStatus(response, UPLOAD_CLOSED, req);
  } catch (error) {
    // The HTTP client words a failed body its own way; the verification failure is the story.
    throw body.failure ?? error;
  }
  await response.discard();
  const stored = response.headers['docker-content-digest'];
  if (stored !== undefined && stored !== descriptor.digest) {
    throw new InvalidDigestError(`failed to ${req.what}: the registry stored it as ${stored}`);
  }
}

function blobRef(repo: RepositoryName, digest: Digest): string {
  return `${formatRepository(repo)}@${digest}`;
}

function blobRequest(
  method: TransportMethod,
  repo: RepositoryName,
  digest: Digest,
  what: string,
): SessionRequest {
  return {
    registry: repo.registry,
    target: `/v2/${repo.repository}/blobs/${digest}`,
    method,
    scopes: [pullScope(repo)],
    what,
  };
}

function uploadsRequest(to: RepositoryName, what: string): SessionRequest {
  return {
    registry: to.registry,
    target: `/v2/${to.repository}/blobs/uploads/`,
    method: 'POST',
    scopes: [pushScope(to)],
    what,
    // A repeated POST only leaves an unused session behind, which registries expire.
    idempotent: true,
    // Cut short once sent, the registry would hold a session whose location the copy never learned.
    role: 'opening',
  };
}

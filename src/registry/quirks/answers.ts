/**
 * Answers registries give where the distribution spec expects another. The code that reads each answer takes its
 * set from here, so a newly reported deviation is one line, with the registry and its source beside it.
 */

/** The closing PUT of an upload: 201 in the spec; some registries answer 200, 202 or 204 (containerd's list). */
export const UPLOAD_CLOSED = [200, 201, 202, 204];

/**
 * A manifest HEAD: 200 in the spec. 405: HEAD not supported (some proxies). 403: Artifactory's answer for an
 * absent manifest (sigstore/cosign#2973). The GET that follows says which it is.
 */
export const MANIFEST_HEAD_ASKED_AGAIN = [403, 405];
/**
 * Artifactory answers a manifest it does not have with 403 UNAUTHORIZED "The client does not have permission for
 * manifest: Download request for repo:path '…/list.manifest.json' is forbidden" (sigstore/cosign#2973): absent.
 */
export function isRefusedAsAbsent(status: number, errors: ReadonlyArray<{ message?: string }>): boolean {
  return (
    status === 403 &&
    errors.some((entry) => /does not have permission for manifest/i.test(entry.message ?? ''))
  );
}

/**
 * A blob HEAD answered 403: Artifactory's and some proxies' answer for an absent blob, and a HEAD has no body to
 * say more (gardener/cc-utils#1754). Asked again as a one-byte GET, whose 401 or 403 counts as absent.
 */
export const BLOB_HEAD_ASKED_AGAIN = 403;
export const BLOB_GET_REFUSED_AS_ABSENT = [401, 403];

/**
 * No referrers API: the spec says 404; registries that route the path elsewhere answer 400, 405 or 501, and GHCR
 * a 303 to a page of github.com that is no index (artifacthub/hub#4785), which the caller tells by content type.
 */
export const NO_REFERRERS_API = [400, 404, 405, 501];

/**
 * No tag list for this client: no such repository, or a token or role without the right (ECR's tag list needs
 * ecr:ListImages, which a pull-only role lacks).
 */
export const NO_TAG_LIST = [401, 403, 404];

/**
 * The OAuth2 token POST refused: GCR answers 404, Artifactory 401, ACR 400, Harbor and distribution's token servers
 * 405 (containerd#4982); the GET with Basic credentials is asked next.
 */
export const TOKEN_POST_REFUSED = [400, 401, 404, 405];

/**
 * A manifest PUT whose children were pushed a moment ago answered MANIFEST_BLOB_UNKNOWN: Nexus sees new content
 * late. The PUT is tried again, briefly, before the answer stands.
 */
export const CHILDREN_NOT_SEEN_YET = 'MANIFEST_BLOB_UNKNOWN';

import { formatRepository, type RepositoryName } from '../oci/reference.js';
import { RegistryError } from './http/registry-error.js';
import { immutableTagRefusal, type ImmutableTagRefusal } from './quirks/immutable-tags.js';
import { deleteByHand } from './quirks/tag-deletes.js';

/** A tag write refused because the tag may not change: the registry's words, and what to do on that registry. */
export class ImmutableTagError extends RegistryError {
  override name = 'ImmutableTagError';
  readonly #advice: string;

  constructor(error: RegistryError, repo: RepositoryName, refusal: ImmutableTagRefusal) {
    const { method, url, status, errors, headers } = error;
    super(`${error.message} — ${refusal.registry} repository ${formatRepository(repo)} has immutable tags`, {
      method,
      url,
      status,
      errors,
      headers,
      cause: error,
    });
    this.#advice = refusal.advice;
  }

  override get title(): string {
    return 'Tag is immutable';
  }

  override hints(): string[] {
    return [this.#advice];
  }
}

/** A manifest PUT refused: what the refusal means, where the registry's words say more than its status. */
export function explainRefusedPut(error: unknown, repo: RepositoryName, tag: string | undefined): unknown {
  if (!(error instanceof RegistryError)) return error;
  if (error.hasCode('MANIFEST_BLOB_UNKNOWN')) return explainMissingContent(error, repo);
  const immutable = tag === undefined ? undefined : immutableTagRefusal(error);
  return immutable === undefined ? error : new ImmutableTagError(error, repo, immutable);
}

/**
 * A tag DELETE refused as unsupported: the registry cannot take a tag back, and how to do it by hand. Unsupported
 * as RegistryError tells it: 405 (GHCR, Docker Hub, distribution with deletes off), 501, or 400 UNSUPPORTED
 * (Harbor, which deletes by digest only: goharbor/harbor src/server/registry/manifest.go).
 */
export function explainRefusedDelete(error: unknown, repo: RepositoryName): unknown {
  if (!(error instanceof RegistryError) || error.contentFailure !== 'unsupported') return error;
  return error.restated(
    `${error.message} — ${repo.registry} cannot delete tags through its API; ${deleteByHand(repo.registry)}`,
  );
}

/** Names what the registry lacks (distribution puts each missing digest in `detail`) and what to do about it. */
function explainMissingContent(error: RegistryError, repo: RepositoryName): RegistryError {
  const missing = error.errors
    .filter((entry) => entry.code === 'MANIFEST_BLOB_UNKNOWN' && typeof entry.detail === 'string')
    .map((entry) => String(entry.detail));
  const what = missing.length > 0 ? missing.join(', ') : 'a manifest or blob it references';
  const { method, url, status, errors, headers } = error;
  return new RegistryError(
    `${error.message} — ${formatRepository(repo)} lacks ${what}: push children and blobs before the manifest`,
    { method, url, status, errors, headers },
  );
}

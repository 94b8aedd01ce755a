import type { Logger } from '../../common/logger.js';
import type { Digest } from '../../oci/digest.js';
import { type Descriptor, parseManifest } from '../../oci/manifest.js';
import { formatRepository, type RepositoryName } from '../../oci/reference.js';
import { referrersTag, withReferrers } from '../../oci/referrer-index.js';
import type { RegistryApi } from '../../registry/api.js';

/**
 * The referrers tags (`sha256-<hex>`) the run keeps up to date in target repositories whose registry does not
 * index subjects itself, as the OCI 1.1 spec asks of clients.
 */
export class ReferrersTagUpdates {
  readonly #registry: RegistryApi;
  readonly #logger: Logger;
  readonly #updates = new Map<string, Promise<void>>();

  constructor(registry: RegistryApi, logger: Logger) {
    this.#registry = registry;
    this.#logger = logger;
  }

  /** Adds `descriptors` to the target's referrers tag of `subject`, one read-modify-write at a time per tag. */
  add(repo: RepositoryName, subject: Digest, descriptors: Descriptor[]): Promise<void> {
    const tag = referrersTag(subject);
    const key = `${formatRepository(repo)}:${tag}`;
    const update = (this.#updates.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const current = await this.#registry.headManifest(repo, tag);
        const existing =
          current === undefined || current.digest === subject
            ? undefined
            : parseManifest(
                await this.#registry.source(repo).manifest(tag),
                `${formatRepository(repo)}:${tag}`,
              );
        const index = withReferrers(existing?.kind === 'index' ? existing.index : undefined, descriptors);
        if (index === undefined) return;
        await this.#registry.putManifest(repo, tag, index);
        const digests = descriptors.map((d) => d.digest).join(', ');
        this.#logger.info(`${formatRepository(repo)}:${tag} now lists ${digests}`);
      });
    this.#updates.set(key, update);
    return update;
  }
}

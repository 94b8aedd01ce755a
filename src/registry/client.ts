import type { ContentSource } from '../oci/content-source.js';
import type { Digest } from '../oci/digest.js';
import type { Descriptor, RawManifest } from '../oci/manifest.js';
import type { RepositoryName } from '../oci/reference.js';
import type { BlobTransfer, ManifestInfo, PushedReferrer, RegistryApi, RepositoryAccess } from './api.js';
import { BlobCopier } from './blob-copy.js';
import type { Logger } from '../common/logger.js';
import { deleteTag, headManifest, putManifest } from './manifests.js';
import { deletesTags } from './quirks/tag-deletes.js';
import { RegistryError } from './http/registry-error.js';
import { listReferrers, listTags } from './referrers-api.js';
import { RepositorySource } from './repository-source.js';
import { nextRetryDelay, type RetryPolicy } from './http/retry.js';
import type { RegistrySession } from './auth/session.js';
import { CHILDREN_NOT_SEEN_YET } from './quirks/answers.js';

/** Tries of a manifest PUT whose children the registry does not see yet. */
const CONSISTENCY_ATTEMPTS = 3;

export interface RegistryClientOptions {
  session: RegistrySession;
  logger: Logger;
  /** How often a blob copy still under way logs its progress (default 15 s). */
  progressIntervalMs?: number | undefined;
  /**
   * Hears the size of every chunk of a blob streamed from a registry (a copy's, the binary proof's) and of every
   * chunk a streamed copy passes on (from a layout too).
   */
  onStreamed?: ((bytes: number) => void) | undefined;
  /** The run's work signal, as it stands: a copy waiting to try again stops waiting when it fires. */
  stopped?: (() => AbortSignal | undefined) | undefined;
  /** Paces retries of whole blob copies and of manifest PUTs that race the registry (single requests are
   * retried by the transport). */
  retry: RetryPolicy;
}

/** The registry operations of a run over HTTP, for every registry it touches (see RegistryApi). */
export class RegistryClient implements RegistryApi {
  readonly #session: RegistrySession;
  readonly #copier: BlobCopier;
  readonly #logger: Logger;
  readonly #retry: RetryPolicy;
  readonly #onStreamed: ((bytes: number) => void) | undefined;

  constructor(options: RegistryClientOptions) {
    this.#session = options.session;
    this.#onStreamed = options.onStreamed;
    this.#copier = new BlobCopier(options);
    this.#logger = options.logger;
    this.#retry = options.retry;
  }

  declareAccess(access: RepositoryAccess[]): void {
    this.#session.declare(access);
  }

  headManifest(repo: RepositoryName, reference: string): Promise<ManifestInfo | undefined> {
    return headManifest(this.#session, repo, reference);
  }

  source(repo: RepositoryName): ContentSource {
    return new RepositorySource(this.#session, repo, this.#onStreamed);
  }

  /**
   * A PUT answered `CHILDREN_NOT_SEEN_YET` (children pushed a moment ago) is tried again, briefly, before the
   * answer stands. Callers push children first, so a real absence still fails.
   */
  async putManifest(repo: RepositoryName, reference: string, manifest: RawManifest): Promise<Digest> {
    return (await this.putReferrer(repo, reference, manifest)).digest;
  }

  async putReferrer(repo: RepositoryName, reference: string, manifest: RawManifest): Promise<PushedReferrer> {
    const startedAt = this.#retry.now();
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await putManifest(this.#session, repo, reference, manifest);
      } catch (error) {
        const racing = error instanceof RegistryError && error.hasCode(CHILDREN_NOT_SEEN_YET);
        const wait =
          racing && attempt < CONSISTENCY_ATTEMPTS
            ? nextRetryDelay(attempt, startedAt, this.#retry)
            : undefined;
        if (!racing || wait === undefined) throw error;
        this.#logger.info(`${error.message}; the registry may not see it yet, trying again in ${wait} ms`);
        await this.#retry.sleep(wait);
      }
    }
  }

  deleteTag(repo: RepositoryName, tag: string): Promise<void> {
    return deleteTag(this.#session, repo, tag);
  }

  deletesTags(repo: RepositoryName): boolean {
    return deletesTags(repo.registry);
  }

  referrers(repo: RepositoryName, subject: Digest, artifactType?: string): Promise<Descriptor[] | undefined> {
    return listReferrers(this.#session, repo, subject, artifactType);
  }

  listTags(repo: RepositoryName): Promise<string[] | undefined> {
    return listTags(this.#session, repo);
  }

  copyBlob(from: ContentSource, to: RepositoryName, descriptor: Descriptor): Promise<BlobTransfer> {
    return this.#copier.copy(from, to, descriptor);
  }

  /** Waits for the copies still under way (they cancel their upload sessions when they fail), then closes. */
  async close(): Promise<void> {
    await this.#copier.settled();
    return this.#session.close();
  }
}

import { pipeline } from 'node:stream';
import { Memo } from '../common/memoize.js';
import type { ContentSource } from '../oci/content-source.js';
import type { Descriptor } from '../oci/manifest.js';
import { formatRepository, sameRepository, type RepositoryName } from '../oci/reference.js';
import type { BlobTransfer } from './api.js';
import { cancelUpload, hasBlob, mountBlob, openUpload, uploadBlob } from './blobs.js';
import { RegistryError } from './http/registry-error.js';
import { HostLimiter, type Release } from './http/limiter.js';
import type { Logger } from '../common/logger.js';
import { isRetryableStatus, nextRetryDelay, untilAborted, type RetryPolicy } from './http/retry.js';
import type { RegistrySession } from './auth/session.js';
import { SourceReadError } from './content/source-read-error.js';
import { VerifyingStream } from './content/verify-content.js';
import { messageWithCauses } from '../common/causes.js';
import { formatSize } from '../common/format-size.js';

export interface BlobCopierOptions {
  session: RegistrySession;
  logger: Logger;
  /** Paces the retries of whole streamed copies. */
  retry: RetryPolicy;
  /** How often a copy still under way logs its progress (default 15 s). */
  progressIntervalMs?: number | undefined;
  /** Hears the size of every chunk a streamed copy passes on. */
  onStreamed?: ((bytes: number) => void) | undefined;
  /** Fires when the run's work stops: a copy waiting to try again stops waiting (its next request then fails). */
  stopped?: (() => AbortSignal | undefined) | undefined;
}

/**
 * Streamed copies running at once per registry. A copy holds its source GET's transport slot (32 per host) while
 * its PUT waits for one; with 8 copies per registry, copies take at most 16 slots of any host (a GET and a PUT each,
 * when source and target share it), so every PUT finds a free slot and copies cannot deadlock each other. Fewer
 * left small layers waiting a round trip after round trip behind each other on a distant registry.
 */
const COPIES_PER_REGISTRY = 8;

const DEFAULT_PROGRESS_INTERVAL_MS = 15_000;

/**
 * Makes blobs present in target repositories: a mount (from a repository of the same registry), else a HEAD, else a
 * streamed copy from the source (registry GET or layout file → POST → PUT, verified on the fly, never buffered).
 * One transfer per (target repository, digest).
 */
export class BlobCopier {
  readonly #session: RegistrySession;
  readonly #logger: Logger;
  readonly #retry: RetryPolicy;
  readonly #progressIntervalMs: number;
  readonly #onStreamed: ((bytes: number) => void) | undefined;
  readonly #stopped: () => AbortSignal | undefined;
  readonly #limiter = new HostLimiter(COPIES_PER_REGISTRY);
  // A failure is not remembered: a later call tries again.
  readonly #transfers = new Memo<BlobTransfer>('retry');

  constructor(options: BlobCopierOptions) {
    this.#session = options.session;
    this.#logger = options.logger;
    this.#retry = options.retry;
    this.#progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.#onStreamed = options.onStreamed;
    this.#stopped = options.stopped ?? (() => undefined);
  }

  /** Resolves once every transfer under way has ended, however. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.#transfers.values());
  }

  /** Shares one transfer between concurrent and repeated calls for the same target and digest. */
  copy(from: ContentSource, to: RepositoryName, descriptor: Descriptor): Promise<BlobTransfer> {
    return this.#transfers.get(`${formatRepository(to)}@${descriptor.digest}`, () =>
      this.#transfer(from, to, descriptor),
    );
  }

  async #transfer(from: ContentSource, to: RepositoryName, descriptor: Descriptor): Promise<BlobTransfer> {
    const { digest } = descriptor;
    let upload: URL | undefined;
    const home = from.repository;
    // A mount first, without a HEAD before it: the registry answers 201 for a blob the target already holds too,
    // so the HEAD would only cost a round trip per blob. The HEAD comes after a mount that did not land.
    if (home !== undefined && home.registry === to.registry && !sameRepository(home, to)) {
      const mount = await mountBlob(this.#session, home, to, digest);
      if (mount.kind === 'mounted') {
        this.#logger.info(`mounted ${digest} from ${from.name} into ${formatRepository(to)}`);
        return 'mounted';
      }
      if (mount.kind === 'session') upload = mount.location;
      if (mount.kind === 'refused') {
        this.#logger.debug(
          `mounting ${digest} into ${formatRepository(to)} refused (${mount.status}); copying`,
        );
      }
    }
    // A source outside any registry (a layout on disk) holds no transport slot of its own.
    const registries = home === undefined ? [to.registry] : [home.registry, to.registry];
    const opened = { location: upload };
    try {
      if (await hasBlob(this.#session, to, digest)) return 'present';
      await this.#withCopySlots(registries, () => this.#copyWithRetries(from, to, descriptor, opened));
    } finally {
      // The session a mount opened, not used after all (the blob was there, or the copy failed first): registries
      // would keep it for hours.
      if (opened.location !== undefined) await cancelUpload(this.#session, to, opened.location);
    }
    this.#logger.info(
      `copied ${digest} (${formatSize(descriptor.size)}) from ${from.name} to ${formatRepository(to)}`,
    );
    return 'copied';
  }

  /**
   * Copies, starting with the `upload` session a mount opened if any; retries the copy as a whole (a new source
   * stream and a new session) when its PUT failed in a way worth retrying. The GET and POST are retried by the
   * transport already; retrying them here too would stack the two retry loops.
   */
  async #copyWithRetries(
    from: ContentSource,
    to: RepositoryName,
    descriptor: Descriptor,
    opened: { location: URL | undefined },
  ): Promise<void> {
    const startedAt = this.#retry.now();
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.#stream(from, to, descriptor, opened);
        return;
      } catch (error) {
        if (!isTransientUploadFailure(error)) throw error;
        const wait = nextRetryDelay(attempt, startedAt, this.#retry);
        if (wait === undefined) throw error;
        this.#logger.info(
          `retrying the copy of ${descriptor.digest} to ${formatRepository(to)} after: ${error.message}; ` +
            `attempt ${attempt + 1} of ${this.#retry.maxAttempts} in ${wait} ms`,
        );
        await untilAborted(this.#retry.sleep(wait), this.#stopped());
      }
    }
  }

  /**
   * One streamed copy: the source stream is piped through a size and digest check into the upload PUT. The
   * `opened` session (a mount's) is taken only once the source answers; until then it is the caller's to cancel.
   * A session this copy holds is cancelled when its PUT fails.
   */
  async #stream(
    from: ContentSource,
    to: RepositoryName,
    descriptor: Descriptor,
    opened: { location: URL | undefined },
  ): Promise<void> {
    const stream = await from.openBlob(descriptor);
    const upload = opened.location;
    opened.location = undefined;
    const what = `copy blob ${descriptor.digest} from ${from.name} to ${formatRepository(to)}`;
    const body = new VerifyingStream(descriptor, what, this.#onStreamed);
    // The source's own failure, if it fails before anything else does: a cut or stalled source is its fault, not
    // the target's, whatever words the PUT that consumes `body` fails with.
    let sourceFailure: unknown;
    stream.once('error', (error: unknown) => {
      if (body.failure === undefined) sourceFailure ??= error;
    });
    // Errors surface through the PUT that consumes `body`; destroying `body` also destroys the source.
    pipeline(stream, body, () => undefined);
    // A large layer can take minutes: say how far it got, now and then.
    const progress = setInterval(() => {
      const share = Math.floor((100 * body.received) / Math.max(descriptor.size, 1));
      this.#logger.info(
        `${what}: ${share}% (${formatSize(body.received)} of ${formatSize(descriptor.size)})`,
      );
    }, this.#progressIntervalMs);
    progress.unref();
    let location = upload;
    try {
      location ??= await openUpload(this.#session, to, descriptor.digest);
      await uploadBlob(this.#session, to, location, descriptor, body);
      location = undefined;
    } catch (error) {
      if (sourceFailure !== undefined) {
        throw new SourceReadError(
          `failed to read blob ${descriptor.digest} from ${from.name}: ${messageWithCauses(sourceFailure)}`,
          { cause: sourceFailure },
        );
      }
      throw error;
    } finally {
      clearInterval(progress);
      body.destroy();
      // A session left open after a failed PUT (the source broke, the run timed out) would stay for hours.
      if (location !== undefined) await cancelUpload(this.#session, to, location);
    }
  }

  /** Takes a copy slot on each registry, in name order so two copies never wait on each other. */
  async #withCopySlots<T>(registries: string[], work: () => Promise<T>): Promise<T> {
    const releases: Release[] = [];
    try {
      for (const registry of [...new Set(registries)].sort())
        releases.push(await this.#limiter.acquire(registry));
      return await work();
    } finally {
      releases.forEach((release) => release());
    }
  }
}

/**
 * A PUT that got no answer, a retryable status, or an expired session (BLOB_UPLOAD_UNKNOWN); or a source that
 * stopped mid-stream, which a new source stream may get past.
 */
function isTransientUploadFailure(error: unknown): error is RegistryError | SourceReadError {
  return (
    error instanceof SourceReadError ||
    (error instanceof RegistryError &&
      error.method === 'PUT' &&
      (error.status === 0 || isRetryableStatus(error.status) || error.hasCode('BLOB_UPLOAD_UNKNOWN')))
  );
}

import { pipeline } from 'node:stream';
import type { Descriptor } from '../oci/manifest.js';
import { formatRepository, sameRepository, type RepositoryName } from '../oci/reference.js';
import type { BlobTransfer } from './api.js';
import { cancelUpload, hasBlob, mountBlob, openBlobStream, openUpload, uploadBlob } from './blobs.js';
import { RegistryError } from './errors.js';
import { HostLimiter, type Release } from './limiter.js';
import type { Logger } from './logger.js';
import { isRetryableStatus, nextRetryDelay, type RetryPolicy } from './retry.js';
import type { RegistrySession } from './session.js';
import { VerifyingStream } from './verify-content.js';

export interface BlobCopierOptions {
  session: RegistrySession;
  logger: Logger;
  /** Paces the retries of whole streamed copies. */
  retry: RetryPolicy;
}

/**
 * Streamed copies running at once per registry. A copy holds its source GET's transport slot (6 per host) while
 * its PUT waits for one; with 2 copies per registry, copies take at most 4 slots of any host (a GET and a PUT each,
 * when source and target share it), so every PUT finds a free slot and copies cannot deadlock each other.
 */
const COPIES_PER_REGISTRY = 2;

/**
 * Makes blobs present in target repositories: HEAD, else a mount (same registry), else a streamed copy
 * (GET → POST → PUT, verified on the fly, never buffered). One transfer per (target repository, digest).
 */
export class BlobCopier {
  readonly #session: RegistrySession;
  readonly #logger: Logger;
  readonly #retry: RetryPolicy;
  readonly #limiter = new HostLimiter(COPIES_PER_REGISTRY);
  readonly #transfers = new Map<string, Promise<BlobTransfer>>();

  constructor(options: BlobCopierOptions) {
    this.#session = options.session;
    this.#logger = options.logger;
    this.#retry = options.retry;
  }

  /** Shares one transfer between concurrent and repeated calls for the same target and digest. */
  copy(from: RepositoryName, to: RepositoryName, descriptor: Descriptor): Promise<BlobTransfer> {
    const key = `${formatRepository(to)}@${descriptor.digest}`;
    let transfer = this.#transfers.get(key);
    if (!transfer) {
      transfer = this.#transfer(from, to, descriptor);
      // A failure is not remembered: a later call tries again.
      transfer.catch(() => this.#transfers.delete(key));
      this.#transfers.set(key, transfer);
    }
    return transfer;
  }

  async #transfer(from: RepositoryName, to: RepositoryName, descriptor: Descriptor): Promise<BlobTransfer> {
    const { digest } = descriptor;
    if (await hasBlob(this.#session, to, digest)) return 'present';
    let upload: URL | undefined;
    if (from.registry === to.registry && !sameRepository(from, to)) {
      const mount = await mountBlob(this.#session, from, to, digest);
      if (mount.kind === 'mounted') {
        this.#logger.info(`mounted ${digest} from ${formatRepository(from)} into ${formatRepository(to)}`);
        return 'mounted';
      }
      if (mount.kind === 'session') upload = mount.location;
      if (mount.kind === 'refused') {
        this.#logger.debug(
          `mounting ${digest} into ${formatRepository(to)} refused (${mount.status}); copying`,
        );
      }
    }
    await this.#withCopySlots(from, to, () => this.#copyWithRetries(from, to, descriptor, upload));
    this.#logger.info(
      `copied ${digest} (${formatSize(descriptor.size)}) from ${formatRepository(from)} to ${formatRepository(to)}`,
    );
    return 'copied';
  }

  /**
   * Copies, starting with the `upload` session a mount opened if any; retries the copy as a whole (a new GET and
   * a new session) when its PUT failed in a way worth retrying. The GET and POST are retried by the transport
   * already; retrying them here too would stack the two retry loops.
   */
  async #copyWithRetries(
    from: RepositoryName,
    to: RepositoryName,
    descriptor: Descriptor,
    upload: URL | undefined,
  ): Promise<void> {
    const startedAt = this.#retry.now();
    let opened = upload;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.#stream(from, to, descriptor, opened);
        return;
      } catch (error) {
        opened = undefined;
        if (!isTransientUploadFailure(error)) throw error;
        const wait = nextRetryDelay(attempt, startedAt, this.#retry);
        if (wait === undefined) throw error;
        this.#logger.info(
          `retrying the copy of ${descriptor.digest} to ${formatRepository(to)} after: ${error.message}; ` +
            `attempt ${attempt + 1} of ${this.#retry.maxAttempts} in ${wait} ms`,
        );
        await this.#retry.sleep(wait);
      }
    }
  }

  /** One streamed copy: the source GET is piped through a size and digest check into the upload PUT. */
  async #stream(
    from: RepositoryName,
    to: RepositoryName,
    descriptor: Descriptor,
    upload: URL | undefined,
  ): Promise<void> {
    const source = await openBlobStream(this.#session, from, descriptor).catch(async (error: unknown) => {
      if (upload !== undefined) await cancelUpload(this.#session, to, upload);
      throw error;
    });
    const what = `copy blob ${descriptor.digest} from ${formatRepository(from)} to ${formatRepository(to)}`;
    const body = new VerifyingStream(descriptor, what);
    // Errors surface through the PUT that consumes `body`; destroying `body` also destroys the source.
    pipeline(source.stream(), body, () => undefined);
    try {
      const location = upload ?? (await openUpload(this.#session, to, descriptor.digest));
      await uploadBlob(this.#session, to, location, descriptor, body);
    } finally {
      body.destroy();
    }
  }

  /** Takes a copy slot on both registries, in name order so two copies never wait on each other. */
  async #withCopySlots<T>(from: RepositoryName, to: RepositoryName, work: () => Promise<T>): Promise<T> {
    const registries = [...new Set([from.registry, to.registry])].sort();
    const releases: Release[] = [];
    try {
      for (const registry of registries) releases.push(await this.#limiter.acquire(registry));
      return await work();
    } finally {
      releases.forEach((release) => release());
    }
  }
}

/** A PUT that got no answer, a retryable status, or an expired session (BLOB_UPLOAD_UNKNOWN). */
function isTransientUploadFailure(error: unknown): error is RegistryError {
  return (
    error instanceof RegistryError &&
    error.method === 'PUT' &&
    (error.status === 0 || isRetryableStatus(error.status) || error.hasCode('BLOB_UPLOAD_UNKNOWN'))
  );
}

const SIZE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** `512 B`, `12.3 MiB`. */
function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 'B';
  for (const next of SIZE_UNITS) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return unit === 'B' ? `${bytes} B` : `${value.toFixed(1)} ${unit}`;
}

import { RegistryError, describeCause, redactUrl } from '../errors.js';
import type { Logger } from '../logger.js';
import { describeStatus } from './response.js';
import {
  isRetryableNetworkError,
  isRetryableStatus,
  nextRetryDelay,
  parseRetryAfter,
  type RetryPolicy,
} from './retry.js';
import type { PreparedRequest, Sender, TransportResponse } from './types.js';

/**
 * Retries idempotent requests with backoff after a transient network failure or a retryable status (Retry-After
 * honoured). Returns the last response once retries are spent; throws RegistryError with status 0 when no response
 * arrived. RegistryErrors from below (refused redirects) pass through.
 */
export class RetrySender implements Sender {
  readonly #next: Sender;
  readonly #policy: RetryPolicy;
  readonly #logger: Logger;

  constructor(next: Sender, policy: RetryPolicy, logger: Logger) {
    this.#next = next;
    this.#policy = policy;
    this.#logger = logger;
  }

  async send(req: PreparedRequest): Promise<TransportResponse> {
    const startedAt = this.#policy.now();
    for (let attempt = 1; ; attempt += 1) {
      let response: TransportResponse;
      try {
        response = await this.#next.send(req);
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        const wait =
          req.idempotent && isRetryableNetworkError(error)
            ? nextRetryDelay(attempt, startedAt, this.#policy)
            : undefined;
        if (wait === undefined) throw networkFailure(req, attempt, error);
        await this.#backOff(req, attempt, describeCause(error), wait);
        continue;
      }
      if (req.idempotent && isRetryableStatus(response.status)) {
        const retryAfter = parseRetryAfter(response.headers['retry-after'], this.#policy.now());
        const wait = nextRetryDelay(attempt, startedAt, this.#policy, retryAfter);
        if (wait !== undefined) {
          await response.discard();
          await this.#backOff(req, attempt, describeStatus(response.status), wait);
          continue;
        }
      }
      return response;
    }
  }

  async #backOff(req: PreparedRequest, attempt: number, reason: string, wait: number): Promise<void> {
    this.#logger.info(
      `retrying ${req.method} ${redactUrl(req.url)} after ${reason}: attempt ${attempt + 1} of ` +
        `${this.#policy.maxAttempts} in ${wait} ms`,
    );
    await this.#policy.sleep(wait);
  }
}

function networkFailure(req: PreparedRequest, attempts: number, error: unknown): RegistryError {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return new RegistryError(`failed to ${req.method} ${redactUrl(req.url)}${tries}: ${describeCause(error)}`, {
    method: req.method,
    url: req.url,
    status: 0,
    cause: error,
  });
}

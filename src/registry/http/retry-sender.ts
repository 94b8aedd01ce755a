import { RegistryError } from './registry-error.js';
import { describeCause } from '../../common/causes.js';
import { redactUrl } from '../../common/redact.js';
import type { Logger } from '../../common/logger.js';
import { TimedOutError } from './timed-out-error.js';
import { BufferedResponse } from './buffered-response.js';
import { describeStatus } from './response.js';
import {
  isRetryableNetworkError,
  isRetryableStatus,
  nextRetryDelay,
  parseRetryAfter,
  untilAborted,
  type RetryPolicy,
} from './retry.js';
import type { PreparedRequest, Sender, TransportResponse } from './sender.js';

/**
 * Retries idempotent requests with backoff after a transient network failure or a retryable status (Retry-After
 * honoured; one longer than the time the run has left fails at once, naming the wait). A request that buffers its body is retried as a whole, reading included: a body cut short, stalled,
 * or slower than `bufferedDeadlineMs` in all is one more failed attempt. Returns the last response once retries are
 * spent; throws RegistryError with status 0 when no response arrived, TimedOutError once the run's signal fired.
 * Other RegistryErrors from below (refused redirects, oversized bodies) pass through.
 */
export class RetrySender implements Sender {
  readonly #next: Sender;
  readonly #policy: RetryPolicy;
  readonly #logger: Logger;
  readonly #bufferedDeadlineMs: number;

  constructor(next: Sender, policy: RetryPolicy, logger: Logger, bufferedDeadlineMs: number) {
    this.#next = next;
    this.#policy = policy;
    this.#logger = logger;
    this.#bufferedDeadlineMs = bufferedDeadlineMs;
  }

  async send(req: PreparedRequest): Promise<TransportResponse> {
    const startedAt = this.#policy.now();
    for (let attempt = 1; ; attempt += 1) {
      if (req.signal?.aborted) throw timedOut(req, req.signal.reason);
      let response: TransportResponse;
      const deadline =
        req.bufferBody === undefined ? undefined : AbortSignal.timeout(this.#bufferedDeadlineMs);
      try {
        response = await this.#attempt(req, deadline);
      } catch (error) {
        if (req.signal?.aborted) throw timedOut(req, req.signal.reason);
        const overdue = deadline?.aborted === true;
        const wait =
          req.idempotent && (overdue || isRetryableNetworkError(error))
            ? nextRetryDelay(attempt, startedAt, this.#policy)
            : undefined;
        if (wait === undefined)
          throw error instanceof RegistryError ? error : networkFailure(req, attempt, error);
        const reason = overdue
          ? `no complete answer within ${this.#bufferedDeadlineMs} ms`
          : describeCause(error);
        await this.#backOff(req, attempt, reason, wait);
        continue;
      }
      if (req.idempotent && isRetryableStatus(response.status)) {
        const retryAfter = parseRetryAfter(response.headers['retry-after'], this.#policy.now());
        const left = req.msLeft?.();
        if (retryAfter !== undefined && left !== undefined && retryAfter > left) {
          await response.discard();
          throw waitTooLong(req, response, retryAfter, left);
        }
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

  /** One exchange; with `bufferBody`, a 2xx body is read in full before it counts as an answer. */
  async #attempt(req: PreparedRequest, deadline: AbortSignal | undefined): Promise<TransportResponse> {
    const signals = [req.signal, deadline].filter((signal): signal is AbortSignal => signal !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const response = await this.#next.send({ ...req, signal });
    const ok = response.status >= 200 && response.status < 300;
    return req.bufferBody !== undefined && ok
      ? BufferedResponse.read(req.method, response, req.bufferBody)
      : response;
  }

  async #backOff(req: PreparedRequest, attempt: number, reason: string, wait: number): Promise<void> {
    this.#logger.info(
      `retrying ${req.method} ${redactUrl(req.url)} after ${reason}: attempt ${attempt + 1} of ` +
        `${this.#policy.maxAttempts} in ${wait} ms`,
    );
    await untilAborted(this.#policy.sleep(wait), req.signal);
    if (req.signal?.aborted) throw timedOut(req, req.signal.reason);
  }
}

function timedOut(req: PreparedRequest, reason: unknown): TimedOutError {
  const deadline = reason instanceof Error ? reason.message : 'the run was cancelled';
  return new TimedOutError(`${deadline} while waiting for ${req.method} ${redactUrl(req.url)}`, {
    cause: reason,
  });
}

/** The registry asked for a wait the run's timeout does not leave: failing now beats failing later. */
function waitTooLong(
  req: PreparedRequest,
  response: TransportResponse,
  retryAfterMs: number,
  leftMs: number,
): RegistryError {
  const seconds = (ms: number): string => `${Math.ceil(ms / 1000)} s`;
  return new RegistryError(
    `failed to ${req.method} ${redactUrl(req.url)}: ${describeStatus(response.status)}, and the registry asks ` +
      `to wait ${seconds(retryAfterMs)} (Retry-After) before trying again, more than the ${seconds(leftMs)} ` +
      "left of the run's timeout",
    {
      method: req.method,
      url: req.url,
      status: response.status,
      headers: { 'retry-after': response.headers['retry-after'] ?? '' },
    },
  );
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

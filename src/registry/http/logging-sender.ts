import { describeCause } from '../../common/causes.js';
import { redactUrl } from '../../common/redact.js';
import type { Logger } from '../../common/logger.js';
import type { PreparedRequest, Sender, TransportResponse } from './sender.js';

/** Logs every exchange at debug: method, redacted URL, status or failure, and how long it took. */
export class LoggingSender implements Sender {
  readonly #next: Sender;
  readonly #logger: Logger;
  readonly #now: () => number;

  constructor(next: Sender, logger: Logger, now: () => number) {
    this.#next = next;
    this.#logger = logger;
    this.#now = now;
  }

  async send(req: PreparedRequest): Promise<TransportResponse> {
    const startedAt = this.#now();
    const target = `${req.method} ${redactUrl(req.url)}`;
    try {
      const response = await this.#next.send(req);
      this.#logger.debug(`${target} ${response.status} (${this.#now() - startedAt} ms)`);
      return response;
    } catch (error) {
      this.#logger.debug(`${target} failed (${this.#now() - startedAt} ms): ${describeCause(error)}`);
      throw error;
    }
  }
}

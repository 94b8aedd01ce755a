import { finished } from 'node:stream';
import type { HostLimiter } from './limiter.js';
import { hasEmptyBody } from './response.js';
import type { PreparedRequest, Sender, TransportResponse } from './sender.js';

/** Holds a per-host slot from the request until its response body is consumed or discarded. */
export class HostLimitSender implements Sender {
  readonly #next: Sender;
  readonly #limiter: HostLimiter;

  constructor(next: Sender, limiter: HostLimiter) {
    this.#next = next;
    this.#limiter = limiter;
  }

  async send(req: PreparedRequest): Promise<TransportResponse> {
    const release = await this.#limiter.acquire(req.url.host);
    let response: TransportResponse;
    try {
      response = await this.#next.send(req);
    } catch (error) {
      release();
      throw error;
    }
    if (hasEmptyBody(req.method, response)) release();
    else finished(response.stream(), () => release());
    return response;
  }
}

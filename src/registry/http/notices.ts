import type { Logger } from '../../common/logger.js';
import type { PreparedRequest, Sender, TransportResponse } from './sender.js';

// Rate-limit headers say how many requests are left; below this share we warn.
const LOW_QUOTA_SHARE = 0.1;

/** Surfaces what registries tell clients on the side: `Warning: 299` texts and rate-limit headers. */
export class NoticeSender implements Sender {
  readonly #next: Sender;
  readonly #logger: Logger;
  readonly #warned = new Set<string>();
  readonly #lowQuotaHosts = new Set<string>();

  constructor(next: Sender, logger: Logger) {
    this.#next = next;
    this.#logger = logger;
  }

  async send(req: PreparedRequest): Promise<TransportResponse> {
    const response = await this.#next.send(req);
    this.#observe(response);
    return response;
  }

  #observe(response: TransportResponse): void {
    const host = response.url.host;
    for (const text of parseWarnings(response.headerValues('warning'))) {
      if (this.#warned.has(text)) continue;
      this.#warned.add(text);
      this.#logger.warning(`registry ${host} warns: ${text}`);
    }
    this.#observeRateLimit(host, response.headers);
  }

  #observeRateLimit(host: string, headers: Record<string, string>): void {
    const limit = leadingInteger(headers['ratelimit-limit']);
    const remaining = leadingInteger(headers['ratelimit-remaining']);
    const source = headers['docker-ratelimit-source'];
    if (limit === undefined || remaining === undefined) {
      if (source !== undefined) this.#logger.debug(`rate limit source at ${host}: ${source}`);
      return;
    }
    const by = source === undefined ? '' : ` (source ${source})`;
    this.#logger.debug(`rate limit at ${host}: ${remaining} of ${limit} requests left${by}`);
    if (remaining > limit * LOW_QUOTA_SHARE || this.#lowQuotaHosts.has(host)) return;
    this.#lowQuotaHosts.add(host);
    this.#logger.warning(`rate limit at ${host} nearly used up: ${remaining} of ${limit} requests left${by}`);
  }
}

// warning-value = warn-code SP warn-agent SP warn-text [SP warn-date] (RFC 7234 §5.5); registries use code 299.
const WARNING_VALUE = /(\d{3})\s+\S+\s+"((?:[^"\\]|\\.)*)"/g;

/** The texts of the 299 warnings in `values`, unescaped, with control characters blanked out. */
function parseWarnings(values: string[]): string[] {
  const texts: string[] = [];
  for (const value of values) {
    for (const match of value.matchAll(WARNING_VALUE)) {
      if (match[1] !== '299' || match[2] === undefined) continue;
      // eslint-disable-next-line no-control-regex -- registry text must not smuggle line breaks into the log
      texts.push(match[2].replace(/\\(.)/g, '$1').replace(/[\u0000-\u001f\u007f]/g, ' '));
    }
  }
  return texts;
}

function leadingInteger(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^\s*(\d+)/.exec(value);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

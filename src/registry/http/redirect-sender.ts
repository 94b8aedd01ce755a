import { RegistryError } from './registry-error.js';
import { redactUrl } from '../../common/redact.js';
import { MAX_REDIRECTS, isRedirectStatus, planRedirect } from './redirects.js';
import type { PreparedRequest, Sender, TransportResponse } from './sender.js';

// Never forwarded to another origin.
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * Follows redirects by hand, when the request asks for it: at most MAX_REDIRECTS hops, each checked by
 * planRedirect (https → http and link-local targets refused), credentials only on hops to the request's origin.
 */
export class RedirectSender implements Sender {
  readonly #next: Sender;

  constructor(next: Sender) {
    this.#next = next;
  }

  async send(req: PreparedRequest): Promise<TransportResponse> {
    let hop = req;
    for (let redirects = 0; ; redirects += 1) {
      const response = await this.#next.send(hop);
      const location =
        req.followRedirects && isRedirectStatus(response.status) ? response.headers['location'] : undefined;
      if (location === undefined) return response;
      await response.discard();
      if (redirects === MAX_REDIRECTS) {
        throw new RegistryError(
          `failed to ${req.method} ${redactUrl(req.url)}: more than ${MAX_REDIRECTS} redirects (last to ${redactUrl(response.url)})`,
          { method: req.method, url: req.url, status: response.status },
        );
      }
      const next = planRedirect(hop.method, hop.url, response.status, location);
      hop = nextHop(req, next.url, next.method, hop.body !== undefined && next.keepBody);
    }
  }
}

/** `req` sent on to `url`: credentials only on its own origin, Content-Type only while the method stays. */
function nextHop(
  req: PreparedRequest,
  url: URL,
  method: PreparedRequest['method'],
  keepBody: boolean,
): PreparedRequest {
  const sameOrigin = url.origin === req.url.origin;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!sameOrigin && CREDENTIAL_HEADERS.has(name)) continue;
    if (method !== req.method && name === 'content-type') continue;
    headers[name] = value;
  }
  return {
    ...req,
    url,
    method,
    headers,
    body: keepBody ? req.body : undefined,
    authorization: sameOrigin ? req.authorization : undefined,
  };
}

import { isLoopbackRegistry } from '../../oci/reference.js';
import { RegistryError } from './registry-error.js';
import { redactUrl } from '../../common/redact.js';
import type { TransportMethod } from './sender.js';

/** Redirect hops followed per request; the next one is refused (containerd's CheckRedirect uses the same number). */
export const MAX_REDIRECTS = 10;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** 301, 302, 303, 307 and 308: the statuses that point elsewhere with a Location header. */
export function isRedirectStatus(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/** Where a redirect leads and how the request continues there. */
export interface RedirectHop {
  url: URL;
  method: TransportMethod;
  /** False when the redirect turned the request into a GET without body (303, or 301/302 after a POST). */
  keepBody: boolean;
}

/**
 * The next hop for a redirect response of `method current`, per RFC 9110 and fetch: 303 becomes a GET (HEAD stays
 * HEAD), 301/302 turn a POST into a GET, 307/308 keep method and body. `location` is resolved against `current`.
 * Throws RegistryError for an unreadable Location, an https → http downgrade, a link-local target, and a loopback
 * target reached from a non-loopback origin (an open redirect must not turn us into a probe of the runner itself).
 */
export function planRedirect(
  method: TransportMethod,
  current: URL,
  status: number,
  location: string,
): RedirectHop {
  const refuse = (reason: string): never => {
    throw new RegistryError(`failed to ${method} ${redactUrl(current)}: refusing redirect ${reason}`, {
      method,
      url: current,
      status,
    });
  };
  let url: URL;
  try {
    url = new URL(location, current);
  } catch {
    return refuse(`to an unreadable Location ${JSON.stringify(location)}`);
  }
  const unsafe = unsafeMove(current, url);
  if (unsafe !== undefined) refuse(unsafe);
  const becomesGet =
    status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST';
  return becomesGet ? { url, method: 'GET', keepBody: false } : { url, method, keepBody: status !== 303 };
}

/**
 * Why a request must not follow the registry from `current` to `next` (a redirect or an upload Location), or
 * undefined when it may: a non-HTTP scheme, https → http, a link-local address, loopback reached from elsewhere.
 */
export function unsafeMove(current: URL, next: URL): string | undefined {
  if (next.protocol !== 'https:' && next.protocol !== 'http:') return `to the non-HTTP URL ${next.protocol}`;
  if (current.protocol === 'https:' && next.protocol === 'http:') return `from https to http (${next.host})`;
  if (isLinkLocalHost(next.hostname)) return `to the link-local address ${next.host}`;
  if (isLoopbackRegistry(next.host) && !isLoopbackRegistry(current.host)) {
    return `from ${current.host} to the loopback address ${next.host}`;
  }
  return undefined;
}

/** 169.254.0.0/16 and fe80::/10: cloud metadata services live there, registries never do. */
function isLinkLocalHost(hostname: string): boolean {
  return /^169\.254\.\d{1,3}\.\d{1,3}$/.test(hostname) || /^\[fe[89ab][0-9a-f]:/i.test(hostname);
}

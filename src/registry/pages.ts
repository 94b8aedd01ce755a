import { RegistryError } from './http/registry-error.js';
import { inContext } from './auth/in-context.js';
import type { RegistrySession, SessionRequest } from './auth/session.js';
import type { TransportResponse } from './http/sender.js';

/** One page of a listing: its body and headers. */
export interface Page {
  bytes: Uint8Array;
  headers: Record<string, string>;
  url: URL;
}

/** Pages followed per listing: past this a registry is looping or the listing is beyond any use here. */
export const MAX_PAGES = 100;

/**
 * GETs `req` and every page after it (`Link: <…>; rel="next"`, as tag lists and the referrers API paginate), each
 * body read up to `maxBytes`. The first page decides: undefined when `accept(response)` says the registry has no
 * such listing (its response is discarded); any other status than 200 is an error.
 */
export async function readPages(
  session: RegistrySession,
  req: SessionRequest,
  maxBytes: number,
  accept: (response: TransportResponse) => boolean,
): Promise<Page[] | undefined> {
  const pages: Page[] = [];
  let target = req.target;
  for (;;) {
    const pageReq = { ...req, target };
    const response = await session.request(pageReq);
    if (pages.length === 0 && !accept(response)) {
      await response.discard();
      return undefined;
    }
    await session.expectStatus(response, [200], pageReq);
    try {
      pages.push({ bytes: await response.bytes(maxBytes), headers: response.headers, url: response.url });
    } catch (error) {
      throw inContext(req.what, error);
    }
    const next = nextLink(response.headers.link);
    if (next === undefined) return pages;
    if (pages.length >= MAX_PAGES) {
      throw new RegistryError(`failed to ${req.what}: more than ${MAX_PAGES} pages`, {
        method: req.method,
        url: response.url,
        status: response.status,
      });
    }
    target = new URL(next, response.url);
  }
}

/** The target of the `rel="next"` entry of a Link header, if there is one. */
export function nextLink(link: string | undefined): string | undefined {
  for (const entry of (link ?? '').split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(entry);
    if (match && /;\s*rel="?next"?\s*(;|$)/i.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

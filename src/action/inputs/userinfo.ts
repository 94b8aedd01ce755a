// `user:password@` before a registry host, as users paste it from a URL. A digest after the `@` (`@sha256:…`) is
// a pinned reference, not userinfo.
const DIGEST_AFTER = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-f]{32,}/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const PLATFORM_PREFIX = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?=/i;

/**
 * The secrets written into an input as `user:password@host` (with or without a scheme, in a `PLATFORM=` entry, on
 * any line or list item): each password, and each `user:password`, found by where they stand, not by what
 * characters they hold. Each is masked before the input is parsed, since an error quotes the entry.
 */
export function writtenCredentials(value: string): string[] {
  const found = new Set<string>();
  for (const line of value.split(/\r?\n/)) {
    // The whole line, and each comma-separated item of it: a password may hold a comma.
    for (const item of [line, ...line.split(',')]) {
      const userinfo = userinfoOf(item.trim().replace(SCHEME, '').replace(PLATFORM_PREFIX, ''));
      const colon = userinfo?.indexOf(':') ?? -1;
      if (userinfo === undefined || colon < 0) continue;
      found.add(userinfo);
      if (colon + 1 < userinfo.length) found.add(userinfo.slice(colon + 1));
    }
  }
  return [...found];
}

/** What stands before the last `@` that is not followed by a digest, if any. */
function userinfoOf(entry: string): string | undefined {
  for (let at = entry.lastIndexOf('@'); at > 0; at = entry.lastIndexOf('@', at - 1)) {
    if (!DIGEST_AFTER.test(entry.slice(at + 1))) return entry.slice(0, at);
  }
  return undefined;
}

/** What stands in for a credential in printed text. */
export const REDACTED = '***';

// `scheme://anything@`: userinfo in a URL (a token realm, a proxy).
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>]*@/gi;
// `user:pass@host` anywhere (an input line, a quoted value, glued to other text); the password runs to the last
// `@` before the host. Not `name:tag@sha256:…`, a reference pinned by a digest; a malformed one is blanked too,
// since telling it from a password is guesswork.
const BARE_USERINFO =
  /[^\s/@:"'<>=,;()[\]{}`]+:[^\s/"'<>]+@(?![a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-f]{32,})/gi;

/**
 * `text` with every credential written into a URL or a `user:pass@host` reference replaced by `***`, for any line
 * that is printed (errors, debug lines): users paste them into inputs, registries into token realms.
 */
export function redactCredentials(text: string): string {
  return text.replace(URL_USERINFO, `$1${REDACTED}@`).replace(BARE_USERINFO, `${REDACTED}@`);
}

// A run of 16 or more token characters with both a letter and a digit: how keys, tokens and passwords look.
const TOKEN_LIKE = /(?=[\w+/=~-]*\d)(?=[\w+/=~-]*[a-z])[\w+/=~-]{16,}/gi;

/**
 * `text` from a program that may have held a secret (a credential helper's error output), with credentials and
 * anything shaped like a token blanked: what secret it may quote is not known, so what looks like one goes.
 */
export function redactTokenLike(text: string): string {
  return redactCredentials(text).replace(TOKEN_LIKE, REDACTED);
}

// Upload session state, presigned-URL signatures and credentials, tokens: none of it belongs in a log.
const SECRET_QUERY_PARAM = /^_state$|sig|token|credential|secret|password|^policy$|^key$|key-pair-id|^code$/i;

/** The URL without userinfo, and with the values of secret-looking query parameters replaced by `redacted`. */
export function redactUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL: keep what cannot hold a secret (no userinfo, no query).
    return String(url)
      .replace(/\/\/[^/@]*@/, '//')
      .replace(/\?.*$/, '?redacted');
  }
  parsed.username = '';
  parsed.password = '';
  if (parsed.search) {
    // Rewrite pairs by hand so the other parameters keep their original encoding.
    const pairs = parsed.search.slice(1).split('&');
    parsed.search = pairs.map(redactQueryPair).join('&');
  }
  return parsed.href;
}

function redactQueryPair(pair: string): string {
  const separator = pair.indexOf('=');
  if (separator < 0) return pair;
  const rawName = pair.slice(0, separator);
  return SECRET_QUERY_PARAM.test(decodeQueryName(rawName)) ? `${rawName}=redacted` : pair;
}

function decodeQueryName(rawName: string): string {
  try {
    return decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    return rawName;
  }
}

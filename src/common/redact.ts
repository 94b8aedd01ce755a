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

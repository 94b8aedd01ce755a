import * as core from '@actions/core';
import { REDACTED, redactCredentials } from '../common/redact.js';

// A zero-width space: invisible in the log, but no longer whitespace to the runner's command parser.
const BREAK = '\u200b';
// C0 and C1 controls but tab and newline, DEL, and the Unicode line and paragraph separators: terminals act on
// them (ESC sequences, BEL) and some readers break lines at them (CR, NEL U+0085, U+2028, U+2029).
const CONTROL = /(?![\t\n])[\p{Cc}\u2028\u2029]/gu;

/** Secrets given to `maskSecret`: blanked in everything printed, whatever characters they hold. */
const secrets = new Set<string>();

/**
 * Masks `secret` in the runner's log (core.setSecret) and blanks it in every line and summary this action writes,
 * so that masking never depends on how a secret is spelled inside other text.
 */
export function maskSecret(secret: string): void {
  if (secret === '' || secrets.has(secret)) return;
  secrets.add(secret);
  core.setSecret(secret);
}

/**
 * `text` without any masked secret, nor credentials written into a URL or a `user:pass@host` reference. For text
 * already escaped (the summary's HTML), `encode` gives how a secret is spelled in it.
 */
export function redact(text: string, encode: (secret: string) => string = (secret) => secret): string {
  let redacted = text;
  // Longest first, so a secret that holds another is blanked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    redacted = redacted.replaceAll(secret, REDACTED).replaceAll(encode(secret), REDACTED);
  }
  return redactCredentials(redacted);
}

/** Every control character but tab and newline as a visible escape (`\x1b`, `\r`, `\u2028`); CRLF ends a line. */
export function escapeControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL, (char) => {
    if (char === '\r') return '\\r';
    const code = char.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/**
 * Makes text safe to print: no line of it can be read as a workflow command. The runner reads a line as a
 * command when it starts with `::` after leading whitespace (which .NET trims more broadly than JavaScript,
 * hence the wide class below), or when it holds `##[` anywhere (the older syntax). Lines end at \n or \r.
 */
export function neutralizeCommands(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map((part) => part.replace(/^([\s\p{C}\p{Z}]*):(?=:)/u, `$1:${BREAK}`).replaceAll('##[', `##${BREAK}[`))
    .join('');
}

/** What may be printed of `text`: secrets blanked out, control characters escaped, no workflow command. */
export function printable(text: string): string {
  return neutralizeCommands(escapeControls(redact(text)));
}

/**
 * The one way text reaches the log: every message, whatever its origin (a registry, an input, an error), goes
 * through `printable` first. Annotations are escaped by @actions/core as well; info lines are not.
 */
export const log = {
  debug: (message: string): void => core.debug(printable(message)),
  info: (message: string): void => core.info(printable(message)),
  notice: (message: string): void => core.notice(printable(message)),
  warning: (message: string): void => core.warning(printable(message)),
  error: (message: string, title: string): void =>
    core.error(printable(message), { title: printable(title) }),
  group: <T>(title: string, work: () => Promise<T>): Promise<T> => core.group(printable(title), work),
};

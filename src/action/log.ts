import * as core from '@actions/core';
import { redactCredentials } from '../common/redact.js';

// A zero-width space: invisible in the log, but no longer whitespace to the runner's command parser.
const BREAK = '\u200b';

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

/** What may be printed of `text`: credentials written into inputs or realms blanked out, no workflow command. */
export function printable(text: string): string {
  return neutralizeCommands(redactCredentials(text));
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

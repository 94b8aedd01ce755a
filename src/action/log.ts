import * as core from '@actions/core';

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

/**
 * The one way text reaches the log: every message, whatever its origin (a registry, an input, an error), goes
 * through neutralizeCommands first. Annotations are escaped by @actions/core as well; info lines are not.
 */
export const log = {
  debug: (message: string): void => core.debug(neutralizeCommands(message)),
  info: (message: string): void => core.info(neutralizeCommands(message)),
  notice: (message: string): void => core.notice(neutralizeCommands(message)),
  warning: (message: string): void => core.warning(neutralizeCommands(message)),
  error: (message: string, title: string): void =>
    core.error(neutralizeCommands(message), { title: neutralizeCommands(title) }),
  group: <T>(title: string, work: () => Promise<T>): Promise<T> =>
    core.group(neutralizeCommands(title), work),
};

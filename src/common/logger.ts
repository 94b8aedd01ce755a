/** Where every layer reports progress; src/action/logger.ts puts it on the runner's log. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  /** Something the user should see that is not wrong: a check that could not be made in full. */
  notice(message: string): void;
  warning(message: string): void;
  /** Runs `work` as one phase, which the runner's log shows as a collapsible group. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
}

/** A logger that drops everything (the default when no logger is given). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
  group: (_title, work) => work(),
};

import type { Logger } from '../../src/common/logger.js';

/** A logger that prints nothing: for tests that assert what the registry holds, not what was said. */
export const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
  group: (_title, work) => work(),
};

/** What a recording logger kept: each level apart, group titles, and info and warning lines in order. */
export interface RecordingLogger extends Logger {
  debugs: string[];
  infos: string[];
  notices: string[];
  warnings: string[];
  groups: string[];
  /** Info lines as they are, notices as `notice: …` and warnings as `warning: …`, in the order they were said. */
  lines: string[];
}

/** The one logger fake that keeps what was said. */
export function recordingLogger(): RecordingLogger {
  const log: RecordingLogger = {
    debugs: [],
    infos: [],
    notices: [],
    warnings: [],
    groups: [],
    lines: [],
    debug: (message) => void log.debugs.push(message),
    info: (message) => {
      log.infos.push(message);
      log.lines.push(message);
    },
    notice: (message) => {
      log.notices.push(message);
      log.lines.push(`notice: ${message}`);
    },
    warning: (message) => {
      log.warnings.push(message);
      log.lines.push(`warning: ${message}`);
    },
    group: (title, work) => {
      log.groups.push(title);
      return work();
    },
  };
  return log;
}

import type { Logger } from '../common/logger.js';
import { log, redact } from './log.js';

/** A logger that also keeps its warnings, for the job summary. */
export interface RecordingLogger extends Logger {
  readonly warnings: readonly string[];
}

/**
 * The registry and publish logger on the runner's log: debug lines show with ACTIONS_STEP_DEBUG, phases fold,
 * warnings become annotations and are kept for the summary. Every line goes through `log`, which escapes it.
 */
export function createCoreLogger(): RecordingLogger {
  const warnings: string[] = [];
  return {
    warnings,
    debug: (message) => log.debug(message),
    info: (message) => log.info(message),
    notice: (message) => log.notice(message),
    warning: (message) => {
      warnings.push(redact(message));
      log.warning(message);
    },
    group: (title, work) => log.group(title, work),
  };
}

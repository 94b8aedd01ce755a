import * as core from '@actions/core';
import type { PublishLogger } from '../publish/logger.js';

/** A logger that also keeps its warnings, for the job summary. */
export interface RecordingLogger extends PublishLogger {
  readonly warnings: readonly string[];
}

/**
 * The registry and publish logger on the runner's log: debug lines show with ACTIONS_STEP_DEBUG, phases fold,
 * warnings become annotations and are kept for the summary.
 */
export function createCoreLogger(): RecordingLogger {
  const warnings: string[] = [];
  return {
    warnings,
    debug: (message) => core.debug(message),
    info: (message) => core.info(message),
    warning: (message) => {
      warnings.push(message);
      core.warning(message);
    },
    group: (title, work) => core.group(title, work),
  };
}

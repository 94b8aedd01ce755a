import * as core from '@actions/core';
import type { PublishLogger } from '../publish/logger.js';

/** The registry and publish logger on the runner's log: debug lines show with ACTIONS_STEP_DEBUG, phases fold. */
export const coreLogger: PublishLogger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  group: (title, work) => core.group(title, work),
};

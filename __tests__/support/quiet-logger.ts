import type { PublishLogger } from '../../src/publish/logger.js';

/** A publish logger that prints nothing: for tests that assert what the registry holds, not what was said. */
export const quiet: PublishLogger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  group: (_title, work) => work(),
};

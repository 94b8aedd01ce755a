import { redactCredentials } from '../common/redact.js';
import type { RecordingLogger } from './logger.js';

/** `logger` with credentials written into inputs or realms blanked out of every line (see redactCredentials). */
export function redactingLogger(logger: RecordingLogger): RecordingLogger {
  return {
    warnings: logger.warnings,
    debug: (message) => logger.debug(redactCredentials(message)),
    info: (message) => logger.info(redactCredentials(message)),
    warning: (message) => logger.warning(redactCredentials(message)),
    group: (title, work) => logger.group(redactCredentials(title), work),
  };
}

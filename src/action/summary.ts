import * as core from '@actions/core';
import { messageWithCauses } from '../common/causes.js';
import { log, redact } from './log.js';
import { text } from './summary/html.js';

export { renderSummary } from './summary/success.js';
export { renderFailureSummary } from './summary/failure.js';
export { writtenSentence } from './summary/tags.js';
export type { RunLinks } from './run-context.js';

/**
 * Appends a rendered summary to the job's summary file, with no secret in it, as written or as escaped; a failure
 * to write it only warns.
 */
export async function writeSummary(html: string): Promise<void> {
  try {
    await core.summary.addRaw(redact(html, text), true).write();
  } catch (error) {
    log.warning(`failed to write the job summary: ${messageWithCauses(error)}`);
  }
}

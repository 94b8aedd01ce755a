import * as core from '@actions/core';
import { messageWithCauses } from '../common/causes.js';
import { log } from './log.js';

export { renderSummary } from './summary/success.js';
export { renderFailureSummary } from './summary/failure.js';
export { writtenSentence } from './summary/tags.js';
export type { RunLinks } from './run-context.js';

/** Appends a rendered summary to the job's summary file; a failure to write it only warns. */
export async function writeSummary(html: string): Promise<void> {
  try {
    await core.summary.addRaw(html, true).write();
  } catch (error) {
    log.warning(`failed to write the job summary: ${messageWithCauses(error)}`);
  }
}

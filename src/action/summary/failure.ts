import type { PublishRequest } from '../../publish/request.js';
import type { RunRecord } from '../../publish/run-record.js';
import type { ErrorDescription } from '../describe-error.js';
import { childrenTable, requiredLine } from './children.js';
import { block, lines, text } from './html.js';
import type { RunLinks } from '../run-context.js';
import { linksLine, warningsSection } from './notes.js';
import { failureHeading, runKind } from './run-kind.js';
import { tagsTable, writtenSentence } from './tags.js';

/**
 * The summary of a run that failed: why, at which step, whether anything was written, where every tag was
 * left, and every image read by then with what its config says, the one that failed a check marked. `request` is
 * absent when the inputs themselves were refused.
 */
export function renderFailureSummary(
  failure: ErrorDescription,
  record: RunRecord,
  request: PublishRequest | undefined,
  warnings: readonly string[] = [],
  links?: RunLinks,
): string {
  return block([
    `<h2>${text(failureHeading(runKind(request), failure.title))}</h2>`,
    `<p>Failed while trying to ${text(record.step)}:<br>${lines(failure.message)}</p>`,
    `<p><strong>${text(writtenSentence(record))}</strong></p>`,
    linksLine(links),
    record.tags.length === 0 ? '' : '<h3>Tags</h3>',
    tagsTable(record.tags),
    // What the sources were found to hold, as the success summary shows it, with the check that failed.
    request === undefined ? '' : '<h3>Platforms</h3>',
    request === undefined ? '' : childrenTable(record.children, request),
    // Coverage means something only once sources were verified; before that every platform would read ✗.
    request === undefined || record.children.length === 0
      ? ''
      : requiredLine(request.platforms, record.children),
    warningsSection(warnings),
  ]);
}

import { MediaType } from '../../oci/media-types.js';
import type { PublishRequest } from '../../publish/request.js';
import type { PublishResult } from '../../publish/result.js';
import type { RunRecord } from '../../publish/run-record.js';
import { childrenTable, requiredLine } from './children.js';
import { block, shortDigest, size, text } from './html.js';
import type { RunLinks } from '../run-context.js';
import { annotationsSection, attestationsLine, linksLine, transfersLine, warningsSection } from './notes.js';
import { referrersSection } from './referrers.js';
import { runKind, successHeading, type RunKind } from './run-kind.js';
import { commands, tagsTable } from './tags.js';

/** The summary of a run that succeeded: tags first, then the platforms, then the details. */
export function renderSummary(
  result: PublishResult,
  request: PublishRequest,
  record: RunRecord,
  warnings: readonly string[] = [],
  links?: RunLinks,
): string {
  const kind = runKind(request);
  return block([
    `<h2>${text(successHeading(kind))}</h2>`,
    linksLine(links),
    kind === 'verify' ? '' : '<h3>Tags</h3>',
    tagsTable(record.tags),
    // Something to inspect only where it exists: what was pushed, or the source index verified as it stands.
    commands(result.image || result.verifiedIndex || '', kind === 'publish' ? record.tags : []),
    '<h3>Platforms</h3>',
    childrenTable(result.children, request),
    requiredLine(request.platforms, result.children),
    `<p>${indexLine(result, kind)}</p>`,
    attestationsLine(result.children, request),
    transfersLine(result.transfers),
    referrersSection(result.referrers),
    annotationsSection(request.indexAnnotations),
    warningsSection(warnings),
  ]);
}

/** The index: what was pushed, what a push would send, the one verified, or the one the sources would make. */
function indexLine(result: PublishResult, kind: RunKind): string {
  const format =
    result.mediaType === MediaType.DockerManifestList ? 'Docker manifest list' : 'OCI image index';
  const index = `${text(format)} ${shortDigest(result.digest)}, ${size(result.size)}`;
  if (kind === 'publish') return `${index}.`;
  if (kind === 'dry run') return `${index}: what a push would send.`;
  return result.verifiedIndex === undefined
    ? `${index}: the index these sources would make (nothing was pushed).`
    : `${index}: the source index, verified as it stands.`;
}

import { MediaType } from '../../oci/media-types.js';
import type { PublishRequest } from '../../publish/request.js';
import type { PublishResult } from '../../publish/result.js';
import type { RunRecord } from '../../publish/run-record.js';
import { childrenTable, requiredLine } from './children.js';
import { block, shortDigest, size, text } from './html.js';
import type { RunLinks } from '../run-context.js';
import { annotationsSection, attestationsLine, linksLine, transfersLine, warningsSection } from './notes.js';
import { commands, tagsTable } from './tags.js';

/** The summary of a run that succeeded: tags first, then the platforms, then the details. */
export function renderSummary(
  result: PublishResult,
  request: PublishRequest,
  record: RunRecord,
  warnings: readonly string[] = [],
  links?: RunLinks,
): string {
  const format =
    result.mediaType === MediaType.DockerManifestList ? 'Docker manifest list' : 'OCI image index';
  return block([
    `<h2>${result.dryRun ? 'Multi-platform image: dry run, nothing was pushed' : 'Multi-platform image published'}</h2>`,
    linksLine(links),
    '<h3>Tags</h3>',
    tagsTable(record.tags),
    commands(result.image, record.tags),
    '<h3>Platforms</h3>',
    childrenTable(result.children, request),
    requiredLine(request.platforms, result.children),
    `<p>${text(format)} ${shortDigest(result.digest)}, ${size(result.size)}.</p>`,
    attestationsLine(result.children, request),
    transfersLine(result.transfers),
    annotationsSection(request.indexAnnotations),
    warningsSection(warnings),
  ]);
}

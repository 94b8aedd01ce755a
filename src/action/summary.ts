import * as core from '@actions/core';
import { formatPlatform, type Platform } from '../oci/platform.js';
import { formatReference } from '../oci/reference.js';
import type { PublishRequest } from '../publish/request.js';
import type { PublishedChild, PublishResult, TagOutcome } from '../publish/result.js';
import { messageWithCauses } from './errors.js';
import type { RunLinks } from './run-context.js';

const TAG_OUTCOMES: Record<TagOutcome['status'], string> = {
  pushed: 'pushed',
  unchanged: 'already at this digest',
  'dry-run': 'not pushed (dry run)',
};
const SHORT_DIGEST_LENGTH = 'sha256:'.length + 12;

/** The job summary as HTML; every string from a registry or an input is escaped. */
export function renderSummary(
  result: PublishResult,
  request: PublishRequest,
  warnings: readonly string[] = [],
  links?: RunLinks,
): string {
  const heading = result.dryRun
    ? 'Multi-platform image (dry run: nothing was pushed)'
    : 'Multi-platform image';
  return [
    `<h2>${heading}</h2>`,
    linksLine(links),
    table(
      [],
      [
        ['Image', code(result.image)],
        ['Digest', code(result.digest)],
        ['Media type', code(result.mediaType)],
        ['Size', bytes(result.size)],
      ],
    ),
    '<h3>Tags</h3>',
    list(result.tags.map((tag) => `${code(formatReference(tag.reference))}: ${TAG_OUTCOMES[tag.status]}`)),
    '<h3>Platforms</h3>',
    table(
      ['Platform', 'Digest', 'Size', 'Source'],
      result.children.map((child) => [
        describeChild(child),
        code(child.digest),
        bytes(child.size),
        code(child.source),
      ]),
    ),
    attestationsLine(result.children, request),
    annotationsSection(request.indexAnnotations),
    result.dryRun ? '' : transfersLine(result.transfers),
    warnings.length === 0 ? '' : `<h3>Warnings</h3>\n${list(warnings.map(escapeHtml))}`,
  ]
    .filter((part) => part !== '')
    .join('\n');
}

/** Appends the summary to the job's summary file; a failure to write it only warns. */
export async function writeSummary(
  result: PublishResult,
  request: PublishRequest,
  warnings: readonly string[],
  links?: RunLinks,
): Promise<void> {
  try {
    await core.summary.addRaw(renderSummary(result, request, warnings, links), true).write();
  } catch (error) {
    core.warning(`failed to write the job summary: ${messageWithCauses(error)}`);
  }
}

/** `From commit <sha> · run`: where the image was published from. */
function linksLine(links: RunLinks | undefined): string {
  const parts = [
    links?.commitUrl &&
      `commit ${anchor(links.commitUrl, links.commitUrl.split('/').at(-1)?.slice(0, 7) ?? '')}`,
    links?.runUrl && anchor(links.runUrl, 'workflow run'),
  ].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length === 0 ? '' : `<p>Published from ${parts.join(' · ')}.</p>`;
}

function anchor(url: string, text: string): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;
}

function describeChild(child: PublishedChild): string {
  if (child.kind === 'attestation') {
    return child.subject
      ? `attestation for ${code(child.subject.slice(0, SHORT_DIGEST_LENGTH))}`
      : 'attestation';
  }
  return escapeHtml(platformText(child.platform));
}

function platformText(platform: Platform): string {
  const version = platform['os.version'];
  return version ? `${formatPlatform(platform)} (${version})` : formatPlatform(platform);
}

function attestationsLine(children: PublishedChild[], request: PublishRequest): string {
  if (request.attestations === 'drop')
    return '<p>Attestation manifests were left out (attestations: drop).</p>';
  const count = children.filter((child) => child.kind === 'attestation').length;
  return count === 0 ? '' : `<p>${count} attestation manifest(s) kept, after the images.</p>`;
}

function annotationsSection(annotations: Record<string, string>): string {
  const entries = Object.entries(annotations);
  if (entries.length === 0) return '';
  return `<h3>Index annotations</h3>\n${table(
    ['Key', 'Value'],
    entries.map(([key, value]) => [code(key), escapeHtml(value)]),
  )}`;
}

function transfersLine(transfers: PublishResult['transfers']): string {
  const { present, mounted, copied } = transfers;
  return `<p>Blobs: ${present} already present, ${mounted} mounted, ${copied} copied.</p>`;
}

/** An HTML table; cells are HTML already (escape before). */
function table(header: string[], rows: string[][]): string {
  const head = header.length === 0 ? '' : `<tr>${header.map((cell) => `<th>${cell}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`);
  return ['<table>', head, ...body, '</table>'].filter((line) => line !== '').join('\n');
}

function list(items: string[]): string {
  return ['<ul>', ...items.map((item) => `<li>${item}</li>`), '</ul>'].join('\n');
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

function bytes(size: number): string {
  return `${size.toLocaleString('en-US')} bytes`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

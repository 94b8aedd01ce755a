import type { PublishRequest } from '../../publish/request.js';
import type { PublishedChild, TransferCounts } from '../../publish/result.js';
import type { RunLinks } from '../run-context.js';
import { code, list, table, text } from './html.js';

/** How the blobs got there; only when some were mounted or copied. */
export function transfersLine({ present, mounted, copied }: TransferCounts): string {
  if (mounted + copied === 0) return '';
  return `<p>Blobs: ${copied} copied, ${mounted} mounted, ${present} already present.</p>`;
}

export function attestationsLine(children: PublishedChild[], request: PublishRequest): string {
  if (request.attestations === 'drop')
    return '<p>Attestation manifests were left out (attestations: drop).</p>';
  const count = children.filter((child) => child.kind === 'attestation').length;
  return count === 0 ? '' : `<p>${count} attestation manifest(s) kept, after the images.</p>`;
}

export function annotationsSection(annotations: Record<string, string>): string {
  const entries = Object.entries(annotations);
  if (entries.length === 0) return '';
  return `<h3>Index annotations</h3>\n${table(
    ['Key', 'Value'],
    entries.map(([key, value]) => [code(key), text(value)]),
  )}`;
}

export function warningsSection(warnings: readonly string[]): string {
  return warnings.length === 0 ? '' : `<h3>Warnings</h3>\n${list(warnings.map(text))}`;
}

/** `Built from commit abc1234 · workflow run`: the run this summary belongs to, when it knows. */
export function linksLine(links: RunLinks | undefined): string {
  const sha = links?.commitUrl?.split('/').at(-1)?.slice(0, 7);
  const parts = [
    links?.commitUrl && sha ? `commit ${anchor(links.commitUrl, sha)}` : '',
    links?.runUrl ? anchor(links.runUrl, 'workflow run') : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? '' : `<p>Built from ${parts.join(' · ')}.</p>`;
}

function anchor(url: string, label: string): string {
  return `<a href="${text(url)}">${text(label)}</a>`;
}

import type { Digest } from '../../oci/digest.js';
import { formatSize } from '../../common/format-size.js';

const SHORT_HEX = 12;
const DIGEST = /sha256:([0-9a-f]{64})/g;

/**
 * Escapes text for the job summary, which is markdown holding one HTML block: what HTML needs (`&`, `<`, `>`,
 * quotes) and everything outside printable ASCII (line breaks and controls included) becomes a character
 * reference, so no value can close a tag, open one, or end the HTML block with a blank line, inside which markdown
 * is not read. Other ASCII stays as it is, so the runner's exact-match masking still finds a secret (`ghs_…`).
 */
export function text(value: string): string {
  return value.replace(/[^\x20-\x7e]|[&<>"']/gu, (char) => `&#${char.codePointAt(0)};`);
}

/** Escaped text whose lines stay lines. */
export function lines(value: string): string {
  return value
    .split(/\r\n|\r|\n/)
    .map(text)
    .join('<br>');
}

export function code(value: string, title?: string): string {
  return title === undefined
    ? `<code>${text(value)}</code>`
    : `<code title="${text(title)}">${text(value)}</code>`;
}

/** A digest as its first 12 hex digits (as docker shows image IDs), the full one in the title. */
export function shortDigest(digest: Digest): string {
  return code(abbreviate(digest), digest);
}

/**
 * Text (a source, a reference) with every digest in it shortened, the full text in the title, and a break
 * allowed after each `/`, `@` and `=`, so a long reference wraps in its cell instead of widening the table.
 */
export function shortCode(value: string): string {
  const short = abbreviate(value);
  const title = short === value ? '' : ` title="${text(value)}"`;
  return `<code${title}>${text(short).replace(/[/@=]/g, '$&<wbr>')}</code>`;
}

function abbreviate(value: string): string {
  return value.replace(DIGEST, (_, hex: string) => `${hex.slice(0, SHORT_HEX)}…`);
}

/** A size as people read it (`formatSize`), kept on one line, the exact bytes in the title. */
export function size(bytes: number | undefined): string {
  if (bytes === undefined) return '–';
  return `<span title="${groupThousands(bytes)} bytes">${formatSize(bytes).replace(' ', '&nbsp;')}</span>`;
}

/** 1234567 → "1,234,567". Not toLocaleString: loading ICU's locale data cost each run about 25 ms. */
function groupThousands(bytes: number): string {
  return String(bytes).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** An HTML table; cells are HTML already (escape before). */
export function table(header: string[], rows: string[][]): string {
  const head = `<tr>${header.map((cell) => `<th>${cell}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`);
  return ['<table>', head, ...body, '</table>'].join('\n');
}

export function list(items: string[]): string {
  return ['<ul>', ...items.map((item) => `<li>${item}</li>`), '</ul>'].join('\n');
}

/** The parts joined into one HTML block: no blank line between them, so markdown never takes over. */
export function block(parts: string[]): string {
  return parts.filter((part) => part !== '').join('\n');
}

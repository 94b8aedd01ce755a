import { ByteReader } from './byte-reader.js';
import { type PaxOverrides, parsePaxHeader } from './pax.js';
import { TAR_BLOCK, isEndBlock, parseTarHeader } from './tar-header.js';
import { TarFormatError } from './tar-format-error.js';

/** What an entry of a layer tar is, as extraction would create it. */
export type TarEntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface TarStreamEntry {
  /** Absolute and normalized: `/usr/bin/app` for `./usr/bin/app`, `usr/bin/app` or `/usr//bin/app`. */
  path: string;
  kind: TarEntryKind;
  /** Permission bits. */
  mode: number;
  /** Content bytes (regular files only). */
  size: number;
  /** What a symbolic or hard link points to, as stored. */
  linkName: string;
}

/** Takes a regular file's content as it streams past, chunk by chunk, each with its offset in the file. */
export interface ContentSink {
  write(chunk: Uint8Array, offset: number): void;
}

/** Pax headers and GNU long names are metadata about one entry; anything larger is not metadata. */
const METADATA_LIMIT = 1024 * 1024;
const KINDS: Record<string, TarEntryKind> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '5': 'dir',
};
// Links, devices, directories and FIFOs carry no content, whatever their size field says (as Go's archive/tar reads).
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

/**
 * The entries of a tar read from `source` in one pass, never held whole: each is yielded once its content has gone
 * past (to the sink `sinkFor` gives it, if any). Stopping the iteration stops reading the source.
 */
export async function* readTarStream(
  source: AsyncIterable<Uint8Array>,
  sinkFor: (entry: TarStreamEntry) => ContentSink | undefined,
): AsyncGenerator<TarStreamEntry> {
  const reader = new ByteReader(source);
  try {
    let next: PaxOverrides & { longName?: string; longLink?: string } = {};
    for (;;) {
      const offset = reader.position;
      const block = await reader.read(TAR_BLOCK, 'a header');
      if (block === undefined || isEndBlock(block)) return;
      const header = parseTarHeader(block, offset);
      const isMetadata = ['x', 'g', 'L', 'K'].includes(header.type);
      const size = HEADER_ONLY.has(header.type) ? 0 : isMetadata ? header.size : (next.size ?? header.size);
      const padded = Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
      const where = `the ${header.type} header at byte ${offset}`;
      if (isMetadata) {
        if (size > METADATA_LIMIT) {
          throw new TarFormatError(
            `${where} is ${size} bytes, more than the ${METADATA_LIMIT} a header may take`,
          );
        }
        const bytes = (await reader.read(padded, where)) ?? new Uint8Array();
        const content = bytes.subarray(0, size);
        // Global pax headers ('g') are not carried over to later entries, as Go's archive/tar reads them.
        if (header.type === 'x') next = { ...next, ...parsePaxHeader(content, where) };
        if (header.type === 'L') next = { ...next, longName: cString(content) };
        if (header.type === 'K') next = { ...next, longLink: cString(content) };
        continue;
      }
      const entry: TarStreamEntry = {
        path: absolutePath(next.path ?? next.longName ?? header.name),
        kind: KINDS[header.type] ?? 'other',
        mode: header.mode,
        size: HEADER_ONLY.has(header.type) ? 0 : size,
        linkName: next.linkpath ?? next.longLink ?? header.linkName,
      };
      next = {};
      const sink = entry.kind === 'file' && size > 0 ? sinkFor(entry) : undefined;
      await reader.each(padded, `the content of ${JSON.stringify(entry.path)}`, (chunk, at) => {
        if (sink === undefined || at >= size) return;
        sink.write(chunk.subarray(0, size - at), at);
      });
      yield entry;
    }
  } finally {
    await reader.close();
  }
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString('utf8');
}

/** `./a/b/`, `a//b` and `/a/./b` all name `/a/b`; `..` never climbs above the root. */
export function absolutePath(name: string): string {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

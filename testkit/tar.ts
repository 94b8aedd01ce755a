const BLOCK = 512;
const NAME_FIELD = 100;
const PREFIX_FIELD = 155;

/** What a tar entry is: a regular file, a directory, a link, or metadata about the next entry (pax, GNU long name). */
export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'pax' | 'pax-global' | 'gnu-long-name';

/** One entry of `tarOf`. */
export interface TarEntry {
  /** Up to 100 bytes, or up to 256 when it can be split at a `/` into the ustar prefix and name fields. */
  name: string;
  content: Uint8Array;
  type?: TarEntryType;
  mode?: number;
  /** What the header's size field says instead of the content length (a pax `size` record then tells the truth). */
  sizeField?: number;
  /** Write the size field as a base-256 number (GNU), as tar does for files of 8 GiB and more. */
  base256Size?: boolean;
  /** What a symlink or hard link points to (up to 100 bytes). */
  linkName?: string;
}

const TYPEFLAGS: Record<TarEntryType, string> = {
  file: '0',
  dir: '5',
  symlink: '2',
  hardlink: '1',
  pax: 'x',
  'pax-global': 'g',
  'gnu-long-name': 'L',
};

/**
 * A ustar archive holding one regular file, with fixed owner, mode and mtime so the same content always gives the
 * same bytes (and so the same diff_id).
 */
export function tarWithOneFile(name: string, content: Uint8Array, mode = 0o644): Uint8Array {
  return tarOf([{ name, content, mode }]);
}

/** A ustar archive of `entries` in order, with the same fixed owner and mtime as `tarWithOneFile`. */
export function tarOf(entries: readonly TarEntry[]): Uint8Array {
  // Two zero blocks mark the end of the archive.
  return Buffer.concat([...entries.flatMap(entryBlocks), Buffer.alloc(2 * BLOCK)]);
}

/** Pax extended header records (`<length> <key>=<value>\n`), the content of a `pax` entry. */
export function paxRecords(records: Record<string, string>): Uint8Array {
  return Buffer.concat(
    Object.entries(records).map(([key, value]) => {
      const body = ` ${key}=${value}\n`;
      const bodyLength = Buffer.byteLength(body);
      // The length counts its own digits, which can push it to one more digit.
      let length = bodyLength + String(bodyLength).length;
      if (String(length).length !== String(bodyLength).length) length = bodyLength + String(length).length;
      return Buffer.from(`${length}${body}`);
    }),
  );
}

function entryBlocks({
  name,
  content,
  type = 'file',
  mode,
  sizeField,
  base256Size,
  linkName,
}: TarEntry): Buffer[] {
  const header = Buffer.alloc(BLOCK);
  writeName(header, name);
  writeOctal(header, 100, 8, mode ?? (type === 'dir' ? 0o755 : 0o644));
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  const size = sizeField ?? content.byteLength;
  if (base256Size) writeBase256(header, 124, 12, size);
  else writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, 0); // mtime
  header.write(TYPEFLAGS[type], 156, 'ascii');
  if (linkName !== undefined) Buffer.from(linkName).copy(header, 157, 0, 100);
  header.write('ustar\u000000', 257, 'ascii'); // magic "ustar\0" + version "00"
  // The checksum is the byte sum of the header with its own field read as eight spaces.
  header.fill(' ', 148, 156, 'ascii');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  header.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  const padding = (BLOCK - (content.byteLength % BLOCK)) % BLOCK;
  return [header, Buffer.from(content), Buffer.alloc(padding)];
}

/** The name field, or for longer names the ustar prefix field (up to the last fitting `/`) plus the name field. */
function writeName(header: Buffer, name: string): void {
  const bytes = Buffer.from(name);
  if (bytes.length > 0 && bytes.length <= NAME_FIELD) {
    bytes.copy(header, 0);
    return;
  }
  const slash = bytes.lastIndexOf('/', PREFIX_FIELD);
  if (bytes.length === 0 || slash <= 0 || bytes.length - slash - 1 > NAME_FIELD) {
    throw new Error(
      `tar entry name ${JSON.stringify(name)} must be 1 to 100 bytes, or split at a "/" into 155 + 100`,
    );
  }
  bytes.copy(header, 0, slash + 1);
  bytes.copy(header, 345, 0, slash);
}

function writeOctal(header: Buffer, offset: number, width: number, value: number): void {
  header.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, 'ascii');
}

/** Big-endian, with the high bit of the first byte set to mark the encoding. */
function writeBase256(header: Buffer, offset: number, width: number, value: number): void {
  let rest = BigInt(value);
  for (let index = offset + width - 1; index >= offset; index--) {
    header[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  header[offset] = (header[offset] ?? 0) | 0x80;
}

const BLOCK = 512;

/**
 * A ustar archive holding one regular file, with fixed owner, mode and mtime so the same content always gives the
 * same bytes (and so the same diff_id).
 */
export function tarWithOneFile(name: string, content: Uint8Array, mode = 0o644): Uint8Array {
  const nameBytes = Buffer.from(name);
  if (nameBytes.length === 0 || nameBytes.length > 100) {
    throw new Error(`tar entry name ${JSON.stringify(name)} must be 1 to 100 bytes`);
  }
  const header = Buffer.alloc(BLOCK);
  nameBytes.copy(header, 0);
  writeOctal(header, 100, 8, mode);
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, content.byteLength); // size
  writeOctal(header, 136, 12, 0); // mtime
  header.write('0', 156, 'ascii'); // typeflag: regular file
  header.write('ustar\u000000', 257, 'ascii'); // magic "ustar\0" + version "00"
  // The checksum is the byte sum of the header with its own field read as eight spaces.
  header.fill(' ', 148, 156, 'ascii');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  header.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  const padding = (BLOCK - (content.byteLength % BLOCK)) % BLOCK;
  // Two zero blocks mark the end of the archive.
  return Buffer.concat([header, content, Buffer.alloc(padding + 2 * BLOCK)]);
}

function writeOctal(header: Buffer, offset: number, width: number, value: number): void {
  header.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, 'ascii');
}

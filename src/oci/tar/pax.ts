import { TarFormatError } from './tar-format-error.js';

/** What a pax extended header says about the entry after it: its name, where its content ends, a link's target. */
export interface PaxOverrides {
  path?: string;
  size?: number;
  linkpath?: string;
}

const utf8 = new TextDecoder('utf-8');
const NEWLINE = 0x0a;
const SPACE = 0x20;

/**
 * Reads the records of a pax extended header (`<length> <key>=<value>\n`, the length counting the whole record in
 * bytes) and keeps `path`, `size` and `linkpath`; `where` places the header in messages.
 */
export function parsePaxHeader(bytes: Uint8Array, where: string): PaxOverrides {
  const overrides: PaxOverrides = {};
  for (let start = 0; start < bytes.length;) {
    const { key, value, end } = readRecord(bytes, start, where);
    if (key === 'path' && value !== '') overrides.path = value;
    if (key === 'size' && value !== '') overrides.size = parseSize(value, where);
    if (key === 'linkpath' && value !== '') overrides.linkpath = value;
    start = end;
  }
  return overrides;
}

function readRecord(
  bytes: Uint8Array,
  start: number,
  where: string,
): { key: string; value: string; end: number } {
  const fail = (problem: string): never => {
    throw new TarFormatError(`invalid pax record at byte ${start} of ${where}: ${problem}`);
  };
  const space = bytes.indexOf(SPACE, start);
  const lengthText = Buffer.from(bytes.subarray(start, space === -1 ? bytes.length : space)).toString(
    'latin1',
  );
  if (space === -1 || !/^[1-9][0-9]*$/.test(lengthText)) {
    return fail(`expected "<length> <key>=<value>\\n", got length ${JSON.stringify(lengthText)}`);
  }
  const end = start + Number(lengthText);
  if (end > bytes.length || end <= space + 1 || bytes[end - 1] !== NEWLINE) {
    return fail(`its length ${lengthText} does not end at a newline inside the ${bytes.length}-byte header`);
  }
  const record = utf8.decode(bytes.subarray(space + 1, end - 1));
  const equals = record.indexOf('=');
  if (equals <= 0) return fail(`expected "<key>=<value>", got ${JSON.stringify(record)}`);
  return { key: record.slice(0, equals), value: record.slice(equals + 1), end };
}

function parseSize(value: string, where: string): number {
  const size = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(size)) {
    throw new TarFormatError(`invalid pax size record in ${where}: "${value}" is not a byte count`);
  }
  return size;
}

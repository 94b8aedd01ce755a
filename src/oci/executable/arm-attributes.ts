import type { ElfHeader } from './elf.js';

/** sh_type of the `.ARM.attributes` section. */
const SHT_ARM_ATTRIBUTES = 0x70000003;
const TAG_FILE = 1;
const TAG_CPU_RAW_NAME = 4;
const TAG_CPU_NAME = 5;
const TAG_CPU_ARCH = 6;
const TAG_COMPATIBILITY = 32;

/** Tag_CPU_arch values, as the ARM ABI's addenda name them. */
export const ARM_CPU_ARCH_NAMES = [
  'pre-v4',
  'v4',
  'v4T',
  'v5T',
  'v5TE',
  'v5TEJ',
  'v6',
  'v6KZ',
  'v6T2',
  'v6K',
  'v7',
  'v6-M',
  'v6S-M',
  'v7E-M',
  'v8',
  'v8-R',
  'v8-M.baseline',
  'v8-M.mainline',
  'v8.1-M.mainline',
  'v9',
];

/**
 * The file bytes a 32-bit ARM ELF's attributes are read from, given its header: the section header table and up
 * to `before` bytes ahead of it, where linkers put `.ARM.attributes` (a non-loaded section near the end).
 */
export function armAttributesWindow(header: ElfHeader, before = 64 * 1024): { start: number; end: number } {
  const { offset, count, entrySize } = header.sections;
  return { start: Math.max(0, offset - before), end: offset + count * entrySize };
}

/**
 * Tag_CPU_arch of a 32-bit little-endian ARM ELF, from `window` (the file's bytes from `start` on, as
 * armAttributesWindow says), or undefined when the section is absent or lies outside the window.
 */
export function armCpuArch(header: ElfHeader, window: Uint8Array, start: number): number | undefined {
  const { offset, count, entrySize } = header.sections;
  if (header.bits !== 32 || header.endian !== 'little' || entrySize < 40) return undefined;
  const view = new DataView(window.buffer, window.byteOffset, window.byteLength);
  const inWindow = (at: number, length: number): boolean =>
    at >= start && at + length <= start + window.byteLength;
  for (let index = 0; index < count; index++) {
    const at = offset + index * entrySize;
    if (!inWindow(at, 40)) return undefined;
    if (view.getUint32(at - start + 4, true) !== SHT_ARM_ATTRIBUTES) continue;
    const sectionOffset = view.getUint32(at - start + 16, true);
    const sectionSize = view.getUint32(at - start + 20, true);
    if (!inWindow(sectionOffset, sectionSize)) return undefined;
    const from = sectionOffset - start;
    return cpuArchOfSection(window.subarray(from, from + sectionSize));
  }
  return undefined;
}

/** Reads the `aeabi` subsection's file attributes: format 'A', then length-prefixed vendor subsections. */
export function cpuArchOfSection(section: Uint8Array): number | undefined {
  if (section[0] !== 0x41) return undefined;
  const view = new DataView(section.buffer, section.byteOffset, section.byteLength);
  for (let at = 1; at + 4 <= section.byteLength;) {
    const length = view.getUint32(at, true);
    if (length < 4 || at + length > section.byteLength) return undefined;
    const end = at + length;
    const vendorEnd = section.indexOf(0, at + 4);
    const vendor = Buffer.from(section.subarray(at + 4, vendorEnd)).toString('latin1');
    if (vendor === 'aeabi' && vendorEnd !== -1 && vendorEnd < end) {
      const found = cpuArchOfVendor(section, view, vendorEnd + 1, end);
      if (found !== undefined) return found;
    }
    at = end;
  }
  return undefined;
}

function cpuArchOfVendor(section: Uint8Array, view: DataView, from: number, end: number): number | undefined {
  for (let at = from; at + 5 <= end;) {
    const tag = section[at];
    const size = view.getUint32(at + 1, true);
    if (size < 5 || at + size > end) return undefined;
    if (tag === TAG_FILE) return cpuArchOfAttributes(section, at + 5, at + size);
    at += size;
  }
  return undefined;
}

function cpuArchOfAttributes(bytes: Uint8Array, from: number, end: number): number | undefined {
  let at = from;
  const uleb = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0 || at >= end) return value;
    }
  };
  const skipString = (): void => {
    const nul = bytes.indexOf(0, at);
    at = nul === -1 ? end : nul + 1;
  };
  while (at < end) {
    const tag = uleb();
    if (tag === TAG_CPU_ARCH) return uleb();
    // Tags 4, 5 and 67 and odd tags above 32 hold strings; Tag_compatibility a number then a string; the rest numbers.
    if (
      tag === TAG_CPU_RAW_NAME ||
      tag === TAG_CPU_NAME ||
      tag === 67 ||
      (tag > TAG_COMPATIBILITY && tag % 2 === 1)
    ) {
      skipString();
    } else if (tag === TAG_COMPATIBILITY) {
      uleb();
      skipString();
    } else {
      uleb();
    }
  }
  return undefined;
}

/** The ARM architecture version a Tag_CPU_arch needs at least, as platform variants count: 5, 6, 7 or 8. */
export function armVersionOf(cpuArch: number): number {
  if (cpuArch <= 5) return 5;
  if (cpuArch === 10 || cpuArch === 13) return 7;
  if (cpuArch >= 14) return 8;
  return 6;
}

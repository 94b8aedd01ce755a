/** What an ELF header says: enough to tell which machine a program is for. */
export interface ElfHeader {
  bits: 32 | 64;
  endian: 'little' | 'big';
  machine: number;
  /** Where the section header table starts, how many entries it has and how large each one is. */
  sections: { offset: number; count: number; entrySize: number };
}

const MAGIC = [0x7f, 0x45, 0x4c, 0x46];
/** e_machine values (the ELF gABI's registry) of the architectures container images are built for. */
export const ELF_MACHINE = {
  i386: 3,
  mips: 8,
  ppc: 20,
  ppc64: 21,
  s390: 22,
  arm: 40,
  x86_64: 62,
  aarch64: 183,
  riscv: 243,
  loongarch: 258,
} as const;

/** The header of an ELF file from its first bytes, or undefined when they are not one. */
export function parseElfHeader(bytes: Uint8Array): ElfHeader | undefined {
  if (!MAGIC.every((byte, index) => bytes[index] === byte)) return undefined;
  const bits = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : undefined;
  const endian = bytes[5] === 1 ? 'little' : bytes[5] === 2 ? 'big' : undefined;
  if (bits === undefined || endian === undefined || bytes.byteLength < (bits === 64 ? 64 : 52))
    return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = endian === 'little';
  const u16 = (at: number): number => view.getUint16(at, little);
  const offset = bits === 64 ? Number(view.getBigUint64(40, little)) : view.getUint32(32, little);
  const base = bits === 64 ? 58 : 46;
  return {
    bits,
    endian,
    machine: u16(18),
    sections: { offset, entrySize: u16(base), count: u16(base + 2) },
  };
}

/** How people name the machine of an ELF file: `x86-64`, `aarch64`, `ppc64le`… */
export function elfMachineName(header: Pick<ElfHeader, 'bits' | 'endian' | 'machine'>): string {
  const { bits, endian, machine } = header;
  const little = endian === 'little';
  switch (machine) {
    case ELF_MACHINE.i386:
      return 'i386';
    case ELF_MACHINE.x86_64:
      return 'x86-64';
    case ELF_MACHINE.aarch64:
      return little ? 'aarch64' : 'aarch64_be';
    case ELF_MACHINE.arm:
      return little ? '32-bit ARM' : '32-bit big-endian ARM';
    case ELF_MACHINE.ppc64:
      return little ? 'ppc64le' : 'ppc64';
    case ELF_MACHINE.ppc:
      return 'ppc';
    case ELF_MACHINE.s390:
      return bits === 64 ? 's390x' : 's390';
    case ELF_MACHINE.riscv:
      return `riscv${bits}`;
    case ELF_MACHINE.mips:
      return `mips${bits === 64 ? '64' : ''}${little ? 'el' : ''}`;
    case ELF_MACHINE.loongarch:
      return `loongarch${bits}`;
    default:
      return `machine ${machine} (${bits}-bit ${endian}-endian)`;
  }
}

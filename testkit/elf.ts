// Tiny static Linux executables, hand-assembled, that print a message and exit 0: one per
// architecture, so a test can put a real program in each per-platform image, pull the child a
// platform gets, and run it (natively or under qemu-user-static) to see which architecture it is.

export type ElfArchitecture = 'amd64' | 'arm64' | 'arm';

/** The qemu-user-static binary that runs `architecture`, or undefined for the host's own. */
export const QEMU: Record<ElfArchitecture, string | undefined> = {
  amd64: undefined,
  arm64: 'qemu-aarch64-static',
  arm: 'qemu-arm-static',
};

const u32 = (value: number): number[] => [
  value & 0xff,
  (value >>> 8) & 0xff,
  (value >>> 16) & 0xff,
  value >>> 24,
];
const u16 = (value: number): number[] => [value & 0xff, value >>> 8];
const u64 = (value: number): number[] => [...u32(value), ...u32(0)];
const words = (...instructions: number[]): number[] => instructions.flatMap(u32);

/** write(1, message, length); exit(0) — the message follows the code. */
function code(architecture: ElfArchitecture, length: number): number[] {
  switch (architecture) {
    case 'amd64':
      // prettier-ignore
      return [
        0xb8, ...u32(1), //            mov eax, 1 (write)
        0xbf, ...u32(1), //            mov edi, 1 (stdout)
        0x48, 0x8d, 0x35, ...u32(16), // lea rsi, [rip + 16] (the message)
        0xba, ...u32(length), //       mov edx, length
        0x0f, 0x05, //                 syscall
        0xb8, ...u32(60), //           mov eax, 60 (exit)
        0x31, 0xff, //                 xor edi, edi
        0x0f, 0x05, //                 syscall
      ];
    case 'arm64':
      // prettier-ignore
      return words(
        0xd2800020, //                movz x0, #1
        0x100000e1, //                adr x1, #28 (the message)
        0xd2800002 | (length << 5), // movz x2, #length
        0xd2800808, //                movz x8, #64 (write)
        0xd4000001, //                svc #0
        0xd2800000, //                movz x0, #0
        0xd2800ba8, //                movz x8, #93 (exit)
        0xd4000001, //                svc #0
      );
    case 'arm':
      // prettier-ignore
      return words(
        0xe3a00001, //          mov r0, #1
        0xe28f1014, //          add r1, pc, #20 (the message)
        0xe3a02000 | length, // mov r2, #length
        0xe3a07004, //          mov r7, #4 (write)
        0xef000000, //          svc #0
        0xe3a00000, //          mov r0, #0
        0xe3a07001, //          mov r7, #1 (exit)
        0xef000000, //          svc #0
      );
  }
}

/** ELF identification: magic, class (1 = 32-bit, 2 = 64-bit), little-endian, version 1, padding. */
const ident = (elfClass: 1 | 2): number[] => [
  0x7f,
  0x45,
  0x4c,
  0x46,
  elfClass,
  1,
  1,
  0,
  ...new Array<number>(8).fill(0),
];

/** A static ELF executable for `architecture` that prints `message`: one header, one loadable segment. */
export function helloExecutable(architecture: ElfArchitecture, message: string): Uint8Array {
  const text = [...new TextEncoder().encode(message)];
  if (text.length > 255) throw new Error('message too long for the hand-assembled immediate');
  const body = [...code(architecture, text.length), ...text];
  if (architecture === 'arm') {
    const base = 0x10000;
    const start = 52 + 32; // ELF32 header + one program header
    const size = start + body.length;
    // prettier-ignore
    const header = [
      ...ident(1), ...u16(2) /* executable */, ...u16(40) /* ARM */, ...u32(1), ...u32(base + start) /* entry */,
      ...u32(52) /* program headers */, ...u32(0), ...u32(0x05000000) /* EABI5 */, ...u16(52), ...u16(32), ...u16(1),
      ...u16(40), ...u16(0), ...u16(0),
    ];
    // prettier-ignore
    const segment = [
      ...u32(1) /* LOAD */, ...u32(0), ...u32(base), ...u32(base), ...u32(size), ...u32(size), ...u32(5) /* R+X */,
      ...u32(0x1000),
    ];
    return Uint8Array.from([...header, ...segment, ...body]);
  }
  const base = 0x400000;
  const start = 64 + 56; // ELF64 header + one program header
  const size = start + body.length;
  const machine = architecture === 'amd64' ? 62 : 183;
  // prettier-ignore
  const header = [
    ...ident(2), ...u16(2) /* executable */, ...u16(machine), ...u32(1), ...u64(base + start) /* entry */,
    ...u64(64) /* program headers */, ...u64(0), ...u32(0), ...u16(64), ...u16(56), ...u16(1), ...u16(64), ...u16(0),
    ...u16(0),
  ];
  // prettier-ignore
  const segment = [
    ...u32(1) /* LOAD */, ...u32(5) /* R+X */, ...u64(0), ...u64(base), ...u64(base), ...u64(size), ...u64(size),
    ...u64(0x1000),
  ];
  return Uint8Array.from([...header, ...segment, ...body]);
}

/** IMAGE_FILE_MACHINE values of the architectures Windows images are built for. */
const PE_MACHINES: Record<number, string> = {
  0x014c: 'i386',
  0x01c4: '32-bit ARM',
  0x8664: 'x86-64',
  0xaa64: 'ARM64',
};

export const PE_MACHINE = { i386: 0x014c, arm: 0x01c4, x86_64: 0x8664, arm64: 0xaa64 } as const;

/** The machine field of a PE file (`MZ`, then `PE\0\0` at e_lfanew), or undefined when not one or beyond `bytes`. */
export function parsePeMachine(bytes: Uint8Array): number | undefined {
  if (bytes[0] !== 0x4d || bytes[1] !== 0x5a || bytes.byteLength < 0x40) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pe = view.getUint32(0x3c, true);
  if (pe + 6 > bytes.byteLength || view.getUint32(pe, false) !== 0x50450000) return undefined;
  return view.getUint16(pe + 4, true);
}

export function peMachineName(machine: number): string {
  return PE_MACHINES[machine] ?? `machine 0x${machine.toString(16).padStart(4, '0')}`;
}

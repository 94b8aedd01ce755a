// A PE header as Windows programs start: the DOS header whose e_lfanew points at `PE\0\0` and the machine field.
// Enough for the binary proof to read which machine a Windows program is for; it runs nowhere.

/** IMAGE_FILE_MACHINE values, spelled out here so the harness never borrows them from src/. */
export const PE_MACHINES = { amd64: 0x8664, arm64: 0xaa64, '386': 0x014c } as const;

export function peHeader(machine: number, lfanew = 0x80): Uint8Array {
  const bytes = Buffer.alloc(lfanew + 24);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(lfanew, 0x3c);
  bytes.write('PE\0\0', lfanew, 'latin1');
  bytes.writeUInt16LE(machine, lfanew + 4);
  return bytes;
}

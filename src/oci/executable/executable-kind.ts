import { ARM_CPU_ARCH_NAMES, armVersionOf } from './arm-attributes.js';
import { ELF_MACHINE, elfMachineName, type ElfHeader } from './elf.js';
import { peMachineName } from './pe.js';
import type { Shebang } from './shebang.js';

/** What a file's first bytes say it is. */
export type ExecutableKind =
  | {
      format: 'elf';
      header: Pick<ElfHeader, 'bits' | 'endian' | 'machine'>;
      /** 32-bit ARM only: Tag_CPU_arch of `.ARM.attributes`, when the section was found. */
      armCpuArch?: number;
    }
  | { format: 'pe'; machine: number }
  | { format: 'script'; shebang: Shebang };

/** `x86-64 ELF`, `ARMv7 ELF`, `ARM64 PE`, `script for /bin/sh`. */
export function describeKind(kind: ExecutableKind): string {
  switch (kind.format) {
    case 'elf':
      if (kind.header.machine === ELF_MACHINE.arm && kind.armCpuArch !== undefined) {
        return `ARM${ARM_CPU_ARCH_NAMES[kind.armCpuArch] ?? `(Tag_CPU_arch ${kind.armCpuArch})`} ELF`;
      }
      return `${elfMachineName(kind.header)} ELF`;
    case 'pe':
      return `${peMachineName(kind.machine)} PE`;
    case 'script':
      return `script for ${kind.shebang.interpreter}`;
  }
}

/** The ARM version (5, 6, 7, 8) a 32-bit ARM ELF needs, when its attributes said. */
export function armVersionOfKind(kind: ExecutableKind): number | undefined {
  return kind.format === 'elf' && kind.armCpuArch !== undefined ? armVersionOf(kind.armCpuArch) : undefined;
}

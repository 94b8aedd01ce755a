import type { Platform } from '../platform.js';
import { ELF_MACHINE } from './elf.js';
import { armVersionOfKind, type ExecutableKind } from './executable-kind.js';
import { PE_MACHINE } from './pe.js';

interface ElfTarget {
  machine: number;
  bits: 32 | 64;
  endian: 'little' | 'big';
}

/** The ELF a Linux program of each OCI architecture is. */
const ELF_TARGETS: Record<string, ElfTarget> = {
  amd64: { machine: ELF_MACHINE.x86_64, bits: 64, endian: 'little' },
  '386': { machine: ELF_MACHINE.i386, bits: 32, endian: 'little' },
  arm64: { machine: ELF_MACHINE.aarch64, bits: 64, endian: 'little' },
  arm: { machine: ELF_MACHINE.arm, bits: 32, endian: 'little' },
  ppc64le: { machine: ELF_MACHINE.ppc64, bits: 64, endian: 'little' },
  ppc64: { machine: ELF_MACHINE.ppc64, bits: 64, endian: 'big' },
  s390x: { machine: ELF_MACHINE.s390, bits: 64, endian: 'big' },
  riscv64: { machine: ELF_MACHINE.riscv, bits: 64, endian: 'little' },
  mips64le: { machine: ELF_MACHINE.mips, bits: 64, endian: 'little' },
  mips64: { machine: ELF_MACHINE.mips, bits: 64, endian: 'big' },
  mipsle: { machine: ELF_MACHINE.mips, bits: 32, endian: 'little' },
  mips: { machine: ELF_MACHINE.mips, bits: 32, endian: 'big' },
  loong64: { machine: ELF_MACHINE.loongarch, bits: 64, endian: 'little' },
};

/** The PE machine of a Windows program of each OCI architecture. */
const PE_TARGETS: Record<string, number> = {
  amd64: PE_MACHINE.x86_64,
  arm64: PE_MACHINE.arm64,
  '386': PE_MACHINE.i386,
  arm: PE_MACHINE.arm,
};

/**
 * The 32-bit programs a 64-bit platform's kernel also runs, tolerated among the sampled executables (multilib
 * tools), never as the program the image runs.
 */
const COMPANIONS: Record<string, string> = { amd64: '386', arm64: 'arm' };

/**
 * Whether `kind` runs on `platform`: `yes`, `no`, or `unknown` when the action knows no binary format for the
 * platform. A script is never judged here (its interpreter is). `companions` also accepts the 32-bit programs
 * of a 64-bit platform.
 */
export function runsOn(
  kind: ExecutableKind,
  platform: Platform,
  companions = false,
): 'yes' | 'no' | 'unknown' {
  if (kind.format === 'script') return 'unknown';
  if (kind.format !== binaryFormatOf(platform.os)) return 'no';
  const architectures = [
    platform.architecture,
    ...(companions ? [COMPANIONS[platform.architecture] ?? []] : []),
  ].flat();
  if (kind.format === 'pe') {
    if (PE_TARGETS[platform.architecture] === undefined) return 'unknown';
    return architectures.some((arch) => PE_TARGETS[arch] === kind.machine) ? 'yes' : 'no';
  }
  if (ELF_TARGETS[platform.architecture] === undefined) return 'unknown';
  const matching = architectures.find((arch) => {
    const target = ELF_TARGETS[arch];
    const { header } = kind;
    return (
      target &&
      target.machine === header.machine &&
      target.bits === header.bits &&
      target.endian === header.endian
    );
  });
  if (matching === undefined) return 'no';
  // A 32-bit ARM program needs at least the ARM version its attributes name: v7 code does not run on an ARMv6.
  if (matching === 'arm' && platform.architecture === 'arm') {
    const needed = armVersionOfKind(kind);
    const offered = /^v(\d+)$/.exec(platform.variant ?? '')?.[1];
    if (needed !== undefined && offered !== undefined && needed > Number(offered)) return 'no';
  }
  return 'yes';
}

/** Which binary format programs of `os` are: ELF on Linux (and the BSDs), PE on Windows. */
export function binaryFormatOf(os: string): 'elf' | 'pe' {
  return os === 'windows' ? 'pe' : 'elf';
}

import { armAttributesWindow, armCpuArch } from './arm-attributes.js';
import { ELF_MACHINE, parseElfHeader, type ElfHeader } from './elf.js';
import type { ExecutableKind } from './executable-kind.js';
import { parsePeMachine } from './pe.js';
import { parseShebang } from './shebang.js';

/** Enough of a file's start for an ELF header, a PE header behind its DOS stub, or a `#!` line. */
export const HEAD_BYTES = 1024;

/**
 * Looks at one file's content as it streams past and says what kind of executable it is: the head, and for a
 * 32-bit ARM ELF also the bytes around its section header table, where `.ARM.attributes` is. Holds at most the
 * head and that window, whatever the file's size.
 */
export class ExecutableProbe {
  private readonly head: Uint8Array;
  private headLength = 0;
  private elf: ElfHeader | undefined;
  private window: { start: number; bytes: Uint8Array } | undefined;

  constructor(private readonly size: number) {
    this.head = new Uint8Array(Math.min(size, HEAD_BYTES));
  }

  write(chunk: Uint8Array, offset: number): void {
    if (offset < this.head.byteLength) {
      const part = chunk.subarray(0, this.head.byteLength - offset);
      this.head.set(part, offset);
      this.headLength = Math.max(this.headLength, offset + part.byteLength);
      if (this.headLength === this.head.byteLength) this.openArmWindow();
    }
    const window = this.window;
    if (window === undefined) return;
    const from = Math.max(offset, window.start);
    const to = Math.min(offset + chunk.byteLength, window.start + window.bytes.byteLength);
    if (from < to) window.bytes.set(chunk.subarray(from - offset, to - offset), from - window.start);
  }

  /** What the file is, once its content went past; undefined for anything but ELF, PE and `#!` scripts. */
  kind(): ExecutableKind | undefined {
    const head = this.head.subarray(0, this.headLength);
    const elf = this.elf ?? parseElfHeader(head);
    if (elf !== undefined) {
      const header = { bits: elf.bits, endian: elf.endian, machine: elf.machine };
      const cpuArch = this.window && armCpuArch(elf, this.window.bytes, this.window.start);
      return cpuArch === undefined
        ? { format: 'elf', header }
        : { format: 'elf', header, armCpuArch: cpuArch };
    }
    const machine = parsePeMachine(head);
    if (machine !== undefined) return { format: 'pe', machine };
    const shebang = parseShebang(head);
    return shebang && { format: 'script', shebang };
  }

  private openArmWindow(): void {
    if (this.elf !== undefined || this.window !== undefined) return;
    const elf = parseElfHeader(this.head);
    this.elf = elf;
    if (elf === undefined || elf.machine !== ELF_MACHINE.arm || elf.bits !== 32) return;
    const { start, end } = armAttributesWindow(elf);
    if (end > this.size || end <= start) return;
    const bytes = new Uint8Array(end - start);
    // What of the window already went past is in the head.
    if (start < this.head.byteLength)
      bytes.set(this.head.subarray(start, Math.min(end, this.head.byteLength)));
    this.window = { start, bytes };
  }
}

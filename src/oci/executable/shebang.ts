/** A `#!` line: the interpreter's path and the one optional argument the kernel passes before the script. */
export interface Shebang {
  interpreter: string;
  argument?: string;
}

/** The kernel reads at most this much of a `#!` line (BINPRM_BUF_SIZE). */
export const SHEBANG_LIMIT = 256;

/** Reads a `#!` line as Linux does: spaces or tabs, the interpreter, then everything else as one argument. */
export function parseShebang(bytes: Uint8Array): Shebang | undefined {
  if (bytes[0] !== 0x23 || bytes[1] !== 0x21) return undefined;
  const text = Buffer.from(bytes.subarray(2, SHEBANG_LIMIT)).toString('latin1');
  const line = text.split('\n')[0]?.replace(/\r$/, '').trim() ?? '';
  const match = /^(\S+)(?:[ \t]+(.*))?$/.exec(line);
  if (match === null) return undefined;
  const [, interpreter = '', argument] = match;
  return argument === undefined || argument === ''
    ? { interpreter }
    : { interpreter, argument: argument.trim() };
}

/**
 * The program `#!/usr/bin/env ARGUMENT` runs: the first word that is neither an option (`-S`, `-i`) nor a
 * `NAME=value` assignment; `-S` splits the argument into words as env does.
 */
export function envProgram(argument: string | undefined): string | undefined {
  if (argument === undefined) return undefined;
  return argument.split(/[ \t]+/).find((word) => word !== '' && !word.startsWith('-') && !word.includes('='));
}

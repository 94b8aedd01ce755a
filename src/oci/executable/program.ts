import type { ExecutableKind } from './executable-kind.js';
import type { LayeredTree } from './layered-tree.js';
import type { OsPaths } from './os-paths.js';
import { resolvePath, type Resolution } from './resolve-path.js';
import { envProgram } from './shebang.js';

/** The program an image runs, followed from its config through PATH, symbolic links and `#!` lines. */
export type ProgramResult =
  | { status: 'pending' }
  | { status: 'missing'; chain: string[]; why: string }
  /** `kind` is the binary at the end of `chain` (at `path`), undefined when it is no format the action reads. */
  | { status: 'resolved'; chain: string[]; path: string; kind: ExecutableKind | undefined };

/** How deep `#!` interpreters may nest (Linux allows four). */
const MAX_INTERPRETERS = 4;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

export interface ProgramContext {
  tree: LayeredTree;
  paths: OsPaths;
  searchPath: string[];
  workingDir: string;
}

/**
 * Follows `name` (a path, or a bare name looked up on the search path) to the binary that runs it. The chain names
 * each step as asked and, where links or the search path led elsewhere, where it led: `sh → /bin/busybox`.
 */
export function resolveProgram(name: string, context: ProgramContext): ProgramResult {
  const chain: string[] = [];
  let asked = name;
  let found = findProgram(name, context);
  for (let depth = 0; ; depth++) {
    if (found.status === 'pending') return found;
    if (found.status === 'absent') return { status: 'missing', chain, why: found.why };
    chain.push(asked === found.path ? asked : `${asked} → ${found.path}`);
    const kind = found.node.executable;
    if (kind?.format !== 'script') return { status: 'resolved', chain, path: found.path, kind };
    if (depth === MAX_INTERPRETERS) {
      return { status: 'missing', chain, why: `more than ${MAX_INTERPRETERS} nested #! interpreters` };
    }
    const { interpreter, argument } = kind.shebang;
    if (interpreter.split('/').pop() === 'env') {
      const program = envProgram(argument);
      if (program === undefined)
        return { status: 'missing', chain, why: `${found.path} runs env without a program` };
      chain.push(interpreter);
      asked = program;
      found = findProgram(program, context);
    } else {
      asked = interpreter;
      found = resolvePath(context.tree, interpreter);
    }
  }
}

/** A path as it is (relative to the working directory), a bare name on each directory of the search path. */
export function findProgram(name: string, context: ProgramContext): Resolution {
  const { tree, paths, searchPath, workingDir } = context;
  const path = paths.programPath(name);
  if (path !== undefined) return resolvePath(tree, path, workingDir);
  for (const dir of searchPath) {
    for (const file of paths.fileNames(name)) {
      const found = resolvePath(tree, `${dir}/${file}`);
      if (found.status === 'pending') return found;
      if (found.status === 'found' && paths.isExecutable(found.path, found.node.mode)) return found;
    }
  }
  return {
    status: 'absent',
    path: name,
    why: `${name} is not found on the search path (${searchPath.join(':')})`,
  };
}

/**
 * The programs `argv` runs: its first word, and for a shell form (`sh -c 'COMMAND …'`) also the command's first
 * word when it is a plain name (after `exec` and `NAME=value` assignments); a shell builtin is then not found,
 * which the caller tolerates.
 */
export function programsOf(argv: readonly string[]): { main?: string; shellCommand?: string } {
  const [first, flag, command] = argv;
  if (first === undefined || first === '') return {};
  if (flag !== '-c' || command === undefined || !SHELLS.has(first.split('/').pop() ?? ''))
    return { main: first };
  const words = command.trim().split(/\s+/);
  while (words[0] === 'exec' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? '')) words.shift();
  const word = words[0];
  return word !== undefined && /^[\w./+-]+$/.test(word)
    ? { main: first, shellCommand: word }
    : { main: first };
}

// Runs the bundled action exactly as the runner does: `node dist/index.js` with INPUT_* variables and
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, in a clean environment with its own HOME.
import { execFile, type ChildProcess, type ExecFileException } from 'node:child_process';
import { constants, tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** The repository's root: the folder holding action.yml above this file (also when compiled into build/). */
function repositoryRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'action.yml'))) return dir;
  }
  throw new Error(`no action.yml above ${here}`);
}

export const ACTION_ENTRY = join(repositoryRoot(), 'dist', 'index.js');

/** A run under way: the process (to send it signals) and its outcome once it exits. */
export interface StartedAction {
  child: ChildProcess;
  done: Promise<ActionRun>;
}

/** Inputs by their action.yml names (`insecure-registries`), plus extra environment variables. */
export async function runAction(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return (await startAction(inputs, env)).done;
}

/** Starts the action as `runAction` does, without waiting for it: a test can signal it mid-run. */
export async function startAction(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<StartedAction> {
  const dir = await mkdtemp(join(tmpdir(), 'multiarch-publish-run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
  let exited: (outcome: { code: number; stdout: string; stderr: string }) => void = () => undefined;
  const outcome = new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve) => (exited = resolve),
  );
  const child = execFile(
    process.execPath,
    [ACTION_ENTRY],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        RUNNER_TEMP: dir,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        ...inputEnv,
        ...env,
      },
      timeout: 120_000,
    },
    (error, out, err) => exited({ code: error ? exitCode(error) : 0, stdout: out, stderr: err }),
  );
  const done = (async (): Promise<ActionRun> => {
    try {
      const { code, stdout, stderr } = await outcome;
      return {
        exitCode: code,
        stdout,
        stderr,
        outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
        summary: await readFile(summaryFile, 'utf8'),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return { child, done };
}

/** The exit code, or 128 + the signal's number for a process a signal ended (as a shell reports it). */
function exitCode(error: ExecFileException): number {
  if (typeof error.code === 'number') return error.code;
  if (error.signal) return 128 + (constants.signals[error.signal] ?? 0);
  return 1;
}

/** Parses the `name<<DELIMITER\nvalue\nDELIMITER` records @actions/core writes. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

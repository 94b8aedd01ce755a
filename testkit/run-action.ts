// Runs the bundled action exactly as the runner does: `node dist/index.js` with INPUT_* variables and
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, in a clean environment with its own HOME.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

/** Inputs by their action.yml names (`insecure-registries`), plus extra environment variables. */
export async function runAction(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  const dir = await mkdtemp(join(tmpdir(), 'multiarch-publish-run-'));
  try {
    const outputFile = join(dir, 'output');
    const summaryFile = join(dir, 'summary');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const inputEnv = Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [
        `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
        value,
      ]),
    );
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (done) => {
        execFile(
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
          (error, out, err) => done({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
        );
      },
    );
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

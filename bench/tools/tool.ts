import { execFile } from 'node:child_process';
import type { Step } from '../measured-run.js';

/** One publication: the same per-arch images, as one index, under every tag. */
export interface PublishJob {
  /** Full references of the per-arch images, by digest. */
  sources: string[];
  /** Full target references. */
  tags: string[];
  /** `host:port` of every registry involved (all plain HTTP on loopback). */
  hosts: string[];
  /** A fresh folder of this run only (tool state, config, output files); removed afterwards. */
  workDir: string;
}

export type Availability = { ok: true; version: string } | { ok: false; reason: string; install: string };

export interface Tool {
  name: string;
  probe(): Promise<Availability>;
  steps(job: PublishJob): Promise<Step[]>;
}

/** stdout of a short command, or the reason it failed. */
export function capture(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 60_000,
): Promise<{ ok: true; stdout: string } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error === null) resolve({ ok: true, stdout: stdout.trim() });
      else resolve({ ok: false, reason: `${command} ${args.join(' ')}: ${stderr.trim() || error.message}` });
    });
  });
}

/** The version line of `command args`, or why it cannot run, with how to install it. */
export async function probeVersion(
  command: string,
  args: readonly string[],
  install: string,
  env?: NodeJS.ProcessEnv,
): Promise<Availability> {
  const result = await capture(command, args, env);
  if (!result.ok) return { ok: false, reason: result.reason, install };
  return { ok: true, version: result.stdout.split('\n')[0] ?? '' };
}

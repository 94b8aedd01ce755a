import { execFile } from 'node:child_process';
import type { Step } from '../measured-run.js';

/** One publication: the same per-arch images, as one index, under every tag. */
export interface PublishJob {
  /** Full references of the per-arch images, by digest. */
  sources: string[];
  /** Full target references. */
  tags: string[];
  /** `host:port` of every registry involved (on loopback). */
  hosts: string[];
  /** A fresh folder of this run only (tool state, config, output files); removed afterwards. */
  workDir: string;
  /** HTTPS: the CA to trust and the user every host knows; absent, every host speaks plain HTTP, no auth. */
  tls?: { caPath: string; username: string; password: string };
}

export type Availability = { ok: true; version: string } | { ok: false; reason: string; install: string };

export interface Tool {
  name: string;
  /** Runs in the plain HTTP scenarios only (it is compared there, or cannot copy between registries). */
  plainOnly?: boolean;
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

/** A Docker config.json's `auths`: the job's user for each of its hosts (empty over plain HTTP). */
export function dockerAuths(job: PublishJob): Record<string, { auth: string }> {
  const { tls } = job;
  if (tls === undefined) return {};
  const auth = Buffer.from(`${tls.username}:${tls.password}`).toString('base64');
  return Object.fromEntries(job.hosts.map((host) => [host, { auth }]));
}

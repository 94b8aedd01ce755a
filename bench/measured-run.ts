import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { onCleanup } from './cleanup.js';

/** One command of a tool run. */
export interface Step {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** A non-zero exit is expected (the action's cold start without inputs fails by design). */
  mayFail?: boolean;
}

export interface Measurement {
  /** Wall time from the first step's start to the last step's exit. */
  ms: number;
  /** The largest peak RSS of any step (KiB), or undefined when it cannot be measured here. */
  peakRssKiB: number | undefined;
}

export class StepFailedError extends Error {
  /** The end of what the step wrote, for the console (results.md shows the message only). */
  constructor(
    message: string,
    readonly outputTail = '',
  ) {
    super(message);
  }
}

const GNU_TIME = '/usr/bin/time';
export const CAN_MEASURE_RSS = existsSync(GNU_TIME);

/**
 * Runs the steps one after another; each under GNU time (`-f %M`: the peak RSS of the process and its waited-for
 * children) when it is installed. A step that fails or outlives `timeoutMs` fails the run.
 */
export async function runMeasured(
  steps: readonly Step[],
  workDir: string,
  timeoutMs: number,
): Promise<Measurement> {
  let peakRssKiB: number | undefined;
  const started = performance.now();
  for (const [index, step] of steps.entries()) {
    const rssFile = join(workDir, `rss-${index}`);
    const { command, args } = CAN_MEASURE_RSS
      ? { command: GNU_TIME, args: ['-f', '%M', '-o', rssFile, step.command, ...step.args] }
      : step;
    await runStep(command, args, step, timeoutMs);
    if (CAN_MEASURE_RSS) {
      const rss = Number((await readFile(rssFile, 'utf8')).trim().split('\n').pop());
      await rm(rssFile, { force: true });
      if (Number.isFinite(rss)) peakRssKiB = Math.max(peakRssKiB ?? 0, rss);
    }
  }
  return { ms: performance.now() - started, peakRssKiB };
}

function runStep(command: string, args: readonly string[], step: Step, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a kill reaches the tool under GNU time and the tool's own children too.
    const child = spawn(command, args, { env: step.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const kill = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    let output = '';
    const keep = (text: string): void => void (output = (output + text).slice(-8_000));
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    const forget = onCleanup(kill);
    const timer = setTimeout(kill, timeoutMs);
    // The command and its subcommands, without options, paths or references.
    const words = step.args.filter(
      (arg, i) => /^[a-z][a-z-]*$/.test(arg) && !step.args[i - 1]?.startsWith('-'),
    );
    const shown = [basename(step.command), ...words.slice(0, 2)].join(' ');
    child.once('error', (error) => {
      clearTimeout(timer);
      forget();
      reject(new StepFailedError(`${shown}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      forget();
      if (code === 0 || (step.mayFail === true && code !== null)) resolve();
      else
        reject(
          new StepFailedError(
            `${shown}: exit ${code ?? signal}: ${output.trim().split('\n').pop() ?? ''}`,
            output.trim().split('\n').slice(-20).join('\n'),
          ),
        );
    });
  });
}

import { spawn, type ChildProcess } from 'node:child_process';

/** How a supervised process ended; `error` is set when it could not be started at all (e.g. ENOENT). */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: NodeJS.ErrnoException;
}

const MAX_OUTPUT_CHARS = 64 * 1024;

/**
 * A child process whose output is kept for error messages and which is killed when the test process exits,
 * so a crashed test run cannot leave it behind.
 */
export class SupervisedProcess {
  /** Settles once the process has ended (or failed to start). */
  readonly exited: Promise<ExitStatus>;
  #output = '';
  readonly #listeners: Array<(text: string) => void> = [];
  #exitStatus: ExitStatus | undefined;
  readonly #child: ChildProcess;
  readonly #killOnExit = (): void => {
    this.#child.kill('SIGKILL');
  };

  constructor(command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.#child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child.stdout?.setEncoding('utf8').on('data', (text: string) => this.#append(text));
    this.#child.stderr?.setEncoding('utf8').on('data', (text: string) => this.#append(text));
    process.once('exit', this.#killOnExit);
    this.exited = new Promise((resolve) => {
      const settle = (status: ExitStatus): void => {
        if (this.#exitStatus !== undefined) return;
        this.#exitStatus = status;
        process.removeListener('exit', this.#killOnExit);
        resolve(status);
      };
      this.#child.once('error', (error) => settle({ code: null, signal: null, error }));
      this.#child.once('close', (code, signal) => settle({ code, signal }));
    });
  }

  /** stdout and stderr so far, interleaved, capped at the last 64 KiB. */
  get output(): string {
    return this.#output;
  }

  /** Hears every piece of stdout and stderr from now on, uncapped (e.g. to count access log lines). */
  onOutput(listener: (text: string) => void): void {
    this.#listeners.push(listener);
  }

  /** The exit status once the process has ended, else undefined. */
  get exitStatus(): ExitStatus | undefined {
    return this.#exitStatus;
  }

  /** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves when it has exited. */
  async stop(graceMs: number): Promise<ExitStatus> {
    if (this.#exitStatus !== undefined) return this.#exitStatus;
    this.#child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)),
    );
    if ((await Promise.race([this.exited, grace])) === 'timeout') this.#child.kill('SIGKILL');
    clearTimeout(timer);
    return this.exited;
  }

  #append(text: string): void {
    this.#output = (this.#output + text).slice(-MAX_OUTPUT_CHARS);
    for (const listener of this.#listeners) listener(text);
  }
}

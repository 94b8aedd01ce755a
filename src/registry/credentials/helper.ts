import { redactTokenLike } from '../../common/redact.js';
import { ReportedError } from '../../common/reported-error.js';
import { spawn } from 'node:child_process';
import type { Credential } from './credential-store.js';

/** A credential helper that is missing, failed, timed out or answered something unreadable. */
export class CredentialHelperError extends ReportedError {
  readonly title = 'Credential helper failed';
  override name = 'CredentialHelperError';

  constructor(
    message: string,
    /** True when `docker-credential-<name>` is not on PATH. */
    readonly notInstalled: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface CredentialHelperOptions {
  /** The helper's environment; its PATH decides which program runs. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A helper's answer is a few hundred bytes; anything far larger is not one. */
const MAX_OUTPUT_BYTES = 64 * 1024;
const MAX_QUOTED_CHARS = 500;
// docker-credential-helpers prints "credentials not found in native keychain"; others word it alike.
const NOT_FOUND = /credentials not found/i;
/** The username a helper returns when `Secret` is an identity (refresh) token. */
export const IDENTITY_TOKEN_USERNAME = '<token>';

/**
 * Runs `docker-credential-<helper> get` with `serverUrl` on stdin (the credential-helper protocol). Returns
 * undefined when the helper has no credentials for it; throws CredentialHelperError on any other failure,
 * quoting the helper's error output but never its answer, which holds the secret.
 */
export async function runCredentialHelper(
  helper: string,
  serverUrl: string,
  options: CredentialHelperOptions = {},
): Promise<Credential | undefined> {
  if (!HELPER_NAME.test(helper)) {
    throw new CredentialHelperError(
      `invalid credential helper name "${helper}": expected a name like "ecr-login", run as docker-credential-<name> from PATH`,
      false,
    );
  }
  const program = `docker-credential-${helper}`;
  const what = `failed to get credentials for ${serverUrl} from ${program}`;
  const run = await runGet(program, serverUrl, options, what);
  if (run.exitCode !== 0) {
    if (NOT_FOUND.test(run.stdout) || NOT_FOUND.test(run.stderr)) return undefined;
    throw new CredentialHelperError(`${what}: exit code ${run.exitCode}${quoteErrorOutput(run)}`, false);
  }
  return parseAnswer(run.stdout, program, what);
}

interface HelperRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

function runGet(
  program: string,
  serverUrl: string,
  options: CredentialHelperOptions,
  what: string,
): Promise<HelperRun> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { env: options.env ?? process.env, stdio: 'pipe' });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const notInstalled = error.code === 'ENOENT';
      const reason = notInstalled ? `${program} is not on PATH` : error.message;
      reject(new CredentialHelperError(`${what}: ${reason}`, notInstalled, { cause: error }));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new CredentialHelperError(`${what}: no answer within ${timeoutMs} ms`, false));
      else if (signal !== null) reject(new CredentialHelperError(`${what}: killed by ${signal}`, false));
      else resolve({ exitCode, stdout: stdout(), stderr: stderr() });
    });
    // A helper that exits without reading stdin makes the write fail with EPIPE; its exit code tells the story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(serverUrl);
  });
}

/** Accumulates a stream's text up to MAX_OUTPUT_BYTES; returns a reader for the result. */
function collect(stream: NodeJS.ReadableStream): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    if (size >= MAX_OUTPUT_BYTES) return;
    chunks.push(chunk);
    size += chunk.length;
  });
  return () => Buffer.concat(chunks).subarray(0, MAX_OUTPUT_BYTES).toString('utf8');
}

/**
 * The helper's error text: stderr, or stdout where helpers print errors, unless stdout looks like an answer; with
 * anything shaped like a token blanked, since a failing helper may print the secret it holds.
 */
function quoteErrorOutput(run: HelperRun): string {
  const stdout = run.stdout.trim();
  const text = redactTokenLike(run.stderr.trim() || (stdout.startsWith('{') ? '' : stdout));
  if (text === '') return '';
  const quoted = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
  return `: ${quoted}`;
}

function parseAnswer(stdout: string, program: string, what: string): Credential | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch {
    // The cause would quote the output, which may hold the secret.
    throw new CredentialHelperError(
      `${what}: the answer is not JSON; expected {"ServerURL","Username","Secret"}`,
      false,
    );
  }
  const fields = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  const { Username: username, Secret: secret } = fields;
  if (typeof secret !== 'string' || (username !== undefined && typeof username !== 'string')) {
    throw new CredentialHelperError(
      `${what}: the answer lacks a string "Secret"; expected {"ServerURL","Username","Secret"}`,
      false,
    );
  }
  if (secret === '') return undefined;
  if (username === IDENTITY_TOKEN_USERNAME) return { identityToken: secret, source: program };
  return { username, password: secret, source: program };
}

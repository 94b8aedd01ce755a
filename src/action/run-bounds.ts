import { ReportedError } from '../common/reported-error.js';
import type { TagBounds } from '../publish/tags/move-tags.js';
import type { RequestBound, RequestRole } from '../registry/http/sender.js';

/**
 * A cancelled job gets SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that (the runner's grace). Putting tags
 * back must end before the kill, with a moment left to write the outputs and the summary.
 */
export const SETTLE_AFTER_SIGNAL_MS = { SIGINT: 6_000, SIGTERM: 1_500 } as const;
export type CancelSignal = keyof typeof SETTLE_AFTER_SIGNAL_MS;
/** Opening or dropping an upload session may go on this long after the work stopped. */
const CLEANUP_MS = 2_000;
/** The part of the timeout kept for reading back and putting back tags: a quarter, at most 30 s. */
const MAX_RESERVE_MS = 30_000;

/** The job was cancelled (SIGINT or SIGTERM from the runner) while the run was working. */
export class RunCancelledError extends ReportedError {
  override readonly name = 'RunCancelledError';
  readonly title = 'Cancelled';
}

/** The restore's share of a timeout of `timeoutMs`. */
export function settleReserveMs(timeoutMs: number): number {
  return Math.min(MAX_RESERVE_MS, Math.floor(timeoutMs / 4));
}

/**
 * The bounds of one run, as the registry client asks for them per request. The work obeys the `timeout` input less
 * a reserve, and stops at once on SIGINT or SIGTERM. Then `settling()` starts a fresh bound for reading back and
 * putting back tags: the rest of the timeout (the reserve at least), cut short by the runner's grace once a signal
 * came. A request already expired never runs, so the restore must not share the work's signal.
 */
export class RunBounds implements RequestBound, TagBounds {
  readonly #work = new AbortController();
  #settle: AbortController | undefined;
  /** Fires a moment after the work stops: what opens or drops an upload session obeys it. */
  readonly #cleanup = new AbortController();
  /** When the whole timeout ends; the work's own end is a reserve earlier. */
  readonly #endsAt: number;
  readonly #reserveMs: number;
  readonly #text: string;
  /** When a signal's grace ends (never, without one). */
  #cutAt = Number.POSITIVE_INFINITY;
  #settleUntil = Number.POSITIVE_INFINITY;
  #settleTimer: NodeJS.Timeout | undefined;
  readonly #workTimer: NodeJS.Timeout;
  readonly #now: () => number;

  constructor(timeout: { ms: number; text: string }, now: () => number = Date.now) {
    this.#now = now;
    this.#endsAt = now() + timeout.ms;
    this.#reserveMs = settleReserveMs(timeout.ms);
    this.#text = timeout.text;
    this.#workTimer = unref(
      setTimeout(() => {
        this.#work.abort(new Error(`the run's timeout (${timeout.text}) passed`));
      }, timeout.ms - this.#reserveMs),
    );
    this.#work.signal.addEventListener(
      'abort',
      () => {
        const reason = this.#work.signal.reason as unknown;
        unref(setTimeout(() => this.#cleanup.abort(reason), CLEANUP_MS));
      },
      { once: true },
    );
  }

  /** Fires when the work must stop: the timeout (less the reserve) passed, or the job was cancelled. */
  get stopped(): AbortSignal {
    return this.#work.signal;
  }

  signal(role: RequestRole): AbortSignal {
    if (this.#settle !== undefined) return this.#settle.signal;
    // Nothing new is opened once the work has stopped; what was opened may still be tidied, briefly.
    if (role === 'work' || (role === 'opening' && this.#work.signal.aborted)) return this.#work.signal;
    return this.#cleanup.signal;
  }

  msLeft(): number {
    const until = this.#settle === undefined ? this.#endsAt - this.#reserveMs : this.#settleUntil;
    return Math.max(0, Math.min(until, this.#cutAt) - this.#now());
  }

  /** The work is over (tags moved or refused): from now on requests obey the settling bound. Idempotent. */
  settling(): void {
    if (this.#settle !== undefined) return;
    this.#settle = new AbortController();
    this.#settleUntil = Math.max(this.#endsAt, this.#now() + this.#reserveMs);
    this.#armSettle();
  }

  /** SIGINT or SIGTERM: the work stops now, and settling ends within the runner's grace for that signal. */
  cancel(signal: CancelSignal): void {
    this.#cutAt = Math.min(this.#cutAt, this.#now() + SETTLE_AFTER_SIGNAL_MS[signal]);
    if (!this.#work.signal.aborted)
      this.#work.abort(new RunCancelledError(`the run was cancelled (${signal})`));
    if (this.#settle !== undefined) this.#armSettle();
  }

  /**
   * The run is over (its result or its error is reported): work still under way (copies a failure elsewhere left
   * running) stops now, and only cleanup requests may still go out, briefly.
   */
  end(): void {
    if (!this.#work.signal.aborted) this.#work.abort(new Error('the run ended'));
  }

  /**
   * Clears the timers of a run that is over. The cleanup bound keeps its timer (unref'd, so it holds nothing up):
   * the upload sessions `end()` left to cancel still get at most their moment, not forever.
   */
  stop(): void {
    clearTimeout(this.#workTimer);
    clearTimeout(this.#settleTimer);
  }

  #armSettle(): void {
    const settle = this.#settle;
    if (settle === undefined || settle.signal.aborted) return;
    clearTimeout(this.#settleTimer);
    const cancelled = this.#cutAt < this.#settleUntil;
    const reason = cancelled
      ? new RunCancelledError("the run was cancelled, and the runner's grace for settling the tags ran out")
      : new Error(`the run's timeout (${this.#text}) passed, the time kept for settling the tags included`);
    this.#settleTimer = unref(setTimeout(() => settle.abort(reason), this.msLeft()));
  }
}

/** A timer that does not keep the process alive: a run that ends early must not wait for it. */
function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref();
  return timer;
}

/**
 * Turns the runner's SIGINT and SIGTERM into `bounds.cancel` while the run is under way; `said` hears each one.
 * Returns the function that puts the default handling back. Process-wide, so only the entry point calls it.
 */
export function cancelOnSignals(bounds: RunBounds, said: (signal: CancelSignal) => void): () => void {
  const handlers = (Object.keys(SETTLE_AFTER_SIGNAL_MS) as CancelSignal[]).map((signal) => {
    const handler = (): void => {
      said(signal);
      bounds.cancel(signal);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

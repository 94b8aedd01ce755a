import type { TransportTimeouts } from '../registry/http/transport.js';
import { parseDuration } from './inputs/duration.js';

/** Shortens every wait on a silent registry (headers, body pauses, a whole buffered read): tests only. */
export const IDLE_TIMEOUT_ENV = 'MULTIARCH_PUBLISH_IDLE_TIMEOUT';

/** The run's bound from the `timeout` input: a signal that fires, with what passed as its reason, after `ms`. */
export function startDeadline(ms: number, text: string): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new Error(`the run's timeout (${text}) passed`));
  }, ms);
  // A run that ends early must not wait for its deadline.
  timer.unref();
  return { signal: controller.signal, stop: () => clearTimeout(timer) };
}

/** The transport's waits, from IDLE_TIMEOUT_ENV when set; undefined keeps the defaults. */
export function idleTimeouts(env: NodeJS.ProcessEnv): Partial<TransportTimeouts> | undefined {
  const text = env[IDLE_TIMEOUT_ENV]?.trim();
  if (!text) return undefined;
  const ms = parseDuration(IDLE_TIMEOUT_ENV, text, 0);
  return { headersMs: ms, bodyIdleMs: ms, bufferedMs: ms };
}

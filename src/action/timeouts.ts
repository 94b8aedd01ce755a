import type { TransportTimeouts } from '../registry/http/transport.js';
import { parseDuration } from './inputs/duration.js';

/** Shortens every wait on a silent registry (headers, body pauses, a whole buffered read): tests only. */
export const IDLE_TIMEOUT_ENV = 'MULTIARCH_PUBLISH_IDLE_TIMEOUT';

/** The transport's waits, from IDLE_TIMEOUT_ENV when set; undefined keeps the defaults. */
export function idleTimeouts(env: NodeJS.ProcessEnv): Partial<TransportTimeouts> | undefined {
  const text = env[IDLE_TIMEOUT_ENV]?.trim();
  if (!text) return undefined;
  const ms = parseDuration(IDLE_TIMEOUT_ENV, text, 0);
  return { headersMs: ms, bodyIdleMs: ms, bufferedMs: ms };
}

import { causeChain } from '../../common/causes.js';
import { setTimeout as delay } from 'node:timers/promises';

/** How often and how patiently a request is retried; the clock, the dice and the sleep are injectable for tests. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Backoff before the second attempt; doubles per attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts if its delay would end later than this after the first attempt began. */
  maxTotalMs: number;
  /** The longest Retry-After we wait; longer requests are cut down to this. */
  maxRetryAfterMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** 5 attempts, 200 ms doubling to at most 10 s, 2 minutes in all, Retry-After honoured up to 60 s. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  // Larger than maxRetryAfterMs, so a registry asking for a full minute still gets its retry.
  maxTotalMs: 120_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
  sleep: async (ms) => {
    await delay(ms);
  },
  now: Date.now,
};

// 499 (client closed, from proxies) and 522 (Cloudflare origin timeout) as go-containerregistry does.
const RETRYABLE_STATUSES = new Set([408, 429, 499, 500, 502, 503, 504, 522]);

/** Statuses that say "try again later" rather than "this request is wrong". */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

const RETRYABLE_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Transient connection failures (reset, refused, timeouts), looked for along the cause chain. */
export function isRetryableNetworkError(error: unknown): boolean {
  return causeChain(error).some((item) => {
    const code = typeof item === 'object' && item !== null ? (item as { code?: unknown }).code : undefined;
    return typeof code === 'string' && RETRYABLE_ERROR_CODES.has(code);
  });
}

const HTTP_DATE = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i;

/** A Retry-After value (delay-seconds or HTTP-date) as milliseconds from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!HTTP_DATE.test(text)) return undefined;
  // asctime dates carry no zone but are GMT by definition.
  const at = Date.parse(/gmt|utc|[+-]\d{4}$/i.test(text) ? text : `${text} GMT`);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * The wait before the next attempt, after `attempt` attempts (1-based) failed: the server's Retry-After when given
 * (capped at maxRetryAfterMs, no jitter), else exponential backoff with equal jitter (half fixed, half random).
 */
export function retryDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

/** The wait before another attempt, or undefined when the attempt count or the total time budget is spent. */
export function nextRetryDelay(
  attempt: number,
  startedAtMs: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const wait = retryDelay(attempt, policy, retryAfterMs);
  return policy.now() - startedAtMs + wait > policy.maxTotalMs ? undefined : wait;
}

/** Waits for `pending`, or less: until `signal` fires (a run that stopped does not wait out a backoff). */
export async function untilAborted(pending: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return pending;
  let stop: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    stop = resolve;
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    await Promise.race([pending, aborted]);
  } finally {
    if (stop) signal.removeEventListener('abort', stop);
  }
}

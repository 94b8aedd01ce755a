import { describe, expect, it } from '@jest/globals';
import {
  defaultRetryPolicy,
  isRetryableNetworkError,
  isRetryableStatus,
  nextRetryDelay,
  parseRetryAfter,
  retryDelay,
  type RetryPolicy,
} from '../../../../src/registry/http/retry.js';

const NOW = Date.parse('2026-10-21T07:28:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['delay-seconds', '120', 120_000],
    ['zero seconds', '0', 0],
    ['seconds with spaces around', ' 5 ', 5000],
    ['an IMF-fixdate', 'Wed, 21 Oct 2026 07:28:30 GMT', 30_000],
    ['an RFC 850 date', 'Wednesday, 21-Oct-26 07:29:00 GMT', 60_000],
    ['an asctime date (GMT by definition)', 'Wed Oct 21 07:28:10 2026', 10_000],
    ['a date in the past', 'Wed, 21 Oct 2026 07:00:00 GMT', 0],
  ])('reads %s', (_name, value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['negative seconds', '-5'],
    ['fractional seconds', '1.5'],
    ['a number with a unit', '10s'],
    ['a bare date without day name', '2026-10-21T07:28:30Z'],
    ['a garbled date', 'Wed, 99 Foo 2026 GMT'],
  ])('ignores %s', (_name, value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('isRetryableStatus', () => {
  it.each([408, 429, 499, 500, 502, 503, 504, 522])('retries %i', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([200, 201, 202, 301, 307, 400, 401, 403, 404, 405, 409, 413, 415, 416, 501, 505])(
    'does not retry %i',
    (status) => {
      expect(isRetryableStatus(status)).toBe(false);
    },
  );
});

describe('isRetryableNetworkError', () => {
  const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

  it.each([
    ['ECONNRESET', withCode('ECONNRESET')],
    ['ECONNREFUSED', withCode('ECONNREFUSED')],
    ['EPIPE', withCode('EPIPE')],
    ['ETIMEDOUT', withCode('ETIMEDOUT')],
    ['EAI_AGAIN (DNS hiccup)', withCode('EAI_AGAIN')],
    ['an undici socket error', withCode('UND_ERR_SOCKET')],
    ['an undici headers timeout', withCode('UND_ERR_HEADERS_TIMEOUT')],
    ['an undici body timeout', withCode('UND_ERR_BODY_TIMEOUT')],
    ['an undici connect timeout', withCode('UND_ERR_CONNECT_TIMEOUT')],
    ['a wrapped cause', new Error('fetch failed', { cause: withCode('ECONNRESET') })],
    ['an AggregateError of connect attempts', new AggregateError([withCode('ECONNREFUSED')], '')],
  ])('retries %s', (_name, error) => {
    expect(isRetryableNetworkError(error)).toBe(true);
  });

  it.each([
    ['ENOTFOUND (no such host)', withCode('ENOTFOUND')],
    ['a TLS certificate error', withCode('DEPTH_ZERO_SELF_SIGNED_CERT')],
    ['a TLS protocol error', withCode('ERR_SSL_WRONG_VERSION_NUMBER')],
    ['a content-length mismatch', withCode('UND_ERR_REQ_CONTENT_LENGTH_MISMATCH')],
    ['a plain Error', new Error('boom')],
    ['a string', 'ECONNRESET'],
    ['undefined', undefined],
  ])('does not retry %s', (_name, error) => {
    expect(isRetryableNetworkError(error)).toBe(false);
  });

  it('survives a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });

    expect(isRetryableNetworkError(a)).toBe(false);
  });
});

describe('retryDelay', () => {
  const policy = (random: number): RetryPolicy => ({ ...defaultRetryPolicy, random: () => random });

  it.each([
    ['first retry, least jitter', 1, 0, 100],
    ['first retry, most jitter', 1, 1, 200],
    ['third retry, middle jitter', 3, 0.5, 600],
    ['capped at maxDelayMs', 12, 1, 10_000],
    ['capped, least jitter', 12, 0, 5000],
  ])('backs off: %s', (_name, attempt, random, expected) => {
    expect(retryDelay(attempt, policy(random))).toBe(expected);
  });

  it.each([
    ['Retry-After as asked, without jitter', 7000, 7000],
    ['Retry-After of zero', 0, 0],
    ['Retry-After capped at maxRetryAfterMs', 3_600_000, 60_000],
  ])('honours %s', (_name, retryAfterMs, expected) => {
    expect(retryDelay(4, policy(0.9), retryAfterMs)).toBe(expected);
  });
});

describe('nextRetryDelay', () => {
  const at = (nowMs: number): RetryPolicy => ({ ...defaultRetryPolicy, random: () => 0, now: () => nowMs });

  it.each([
    ['within budget', 1, 0, undefined, 100],
    ['the last allowed retry', 4, 0, undefined, 800],
    ['attempts spent', 5, 0, undefined, undefined],
    ['time budget spent', 2, 119_900, undefined, undefined],
    ['Retry-After past the budget', 1, 70_000, 60_000, undefined],
    ['Retry-After within the budget', 1, 50_000, 60_000, 60_000],
  ])('%s', (_name, attempt, elapsedMs, retryAfterMs, expected) => {
    expect(nextRetryDelay(attempt, NOW, at(NOW + elapsedMs), retryAfterMs)).toBe(expected);
  });
});

import { GatewayError, type ErrorCode } from '@turnout/errors';
import { retryAfterMs, RetryPolicy, sleep } from './retry-policy';

const policy = new RetryPolicy({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 30_000, random: () => 0.5, now: () => 0 });
const failure = (code: ErrorCode, headers: Record<string, string> = {}) => new GatewayError(code, { headers });

describe('RetryPolicy', () => {
  it.each<ErrorCode>(['GW_UPSTREAM_UNREACHABLE', 'GW_UPSTREAM_CONNECT_TIMEOUT', 'GW_UPSTREAM_FIRST_BYTE_TIMEOUT', 'GW_UPSTREAM_RATE_LIMITED', 'GW_UPSTREAM_OVERLOADED', 'GW_UPSTREAM_ERROR'])(
    'retries %s with jittered backoff',
    (code) => {
      expect(policy.decide(failure(code), 1)).toEqual({ retry: true, delayMs: 50 });
      expect(policy.decide(failure(code), 2)).toEqual({ retry: true, delayMs: 100 });
    },
  );

  it.each<ErrorCode>(['GW_UPSTREAM_BAD_REQUEST', 'GW_UPSTREAM_TOO_LARGE', 'GW_UPSTREAM_PROTOCOL', 'GW_UPSTREAM_STREAM_ENDED', 'GW_UPSTREAM_IDLE_TIMEOUT', 'GW_UPSTREAM_TOTAL_TIMEOUT', 'GW_CLIENT_ABORTED', 'GW_UPSTREAM_MODEL_NOT_FOUND'])(
    'never retries %s',
    (code) => {
      expect(policy.decide(failure(code), 1)).toMatchObject({ retry: false });
    },
  );

  it('stops at max_attempts', () => {
    expect(policy.decide(failure('GW_UPSTREAM_ERROR'), 3)).toMatchObject({ retry: false, reason: '3 attempt(s), the most allowed' });
  });

  it('honours retry-after exactly, and gives up when it is too long or the failure would repeat', () => {
    expect(policy.decide(failure('GW_UPSTREAM_RATE_LIMITED', { 'retry-after': '2' }), 1)).toEqual({ retry: true, delayMs: 2_000 });
    expect(policy.decide(failure('GW_UPSTREAM_RATE_LIMITED', { 'retry-after-ms': '1500.2' }), 1)).toEqual({ retry: true, delayMs: 1_501 });
    expect(policy.decide(failure('GW_UPSTREAM_RATE_LIMITED', { 'retry-after': '120' }), 1)).toMatchObject({ retry: false });
    expect(policy.decide(failure('GW_UPSTREAM_ERROR', { 'x-should-retry': 'false' }), 1)).toMatchObject({ retry: false });
  });

  it('the backoff ceiling doubles up to max_delay_ms', () => {
    const top = new RetryPolicy({ maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 1, random: () => 0.999 });
    expect([1, 2, 3, 4, 5, 6].map((attempt) => (top.decide(failure('GW_UPSTREAM_ERROR'), attempt) as { delayMs: number }).delayMs)).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('reads retry-after as an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 1970 00:00:05 GMT' }, 1_000)).toBe(4_000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, 0)).toBeUndefined();
  });

  it('sleep rejects as soon as the client leaves', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'GW_CLIENT_ABORTED' });
  });
});

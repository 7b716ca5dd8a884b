import { ERROR_CODES, GatewayError, type ErrorCode } from '@turnout/errors';
import { seededRandom } from '../test/fake-clock';
import { DEFAULT_RETRY_POLICY_OPTIONS, RetryPolicy } from './retry-policy';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const options = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 30_000, now: () => NOW };
const fail = (code: ErrorCode, headers: Record<string, string> = {}) => new GatewayError(code, { headers });

/** The rule, written out again here on purpose: the spec states it, the code implements it. */
const RETRIED: readonly ErrorCode[] = [
  'GW_UPSTREAM_UNREACHABLE',
  'GW_UPSTREAM_CONNECT_TIMEOUT',
  'GW_UPSTREAM_RATE_LIMITED',
  'GW_UPSTREAM_OVERLOADED',
  'GW_UPSTREAM_ERROR',
];
const ALL_CODES = Object.keys(ERROR_CODES) as ErrorCode[];

describe('RetryPolicy: which failures', () => {
  const policy = new RetryPolicy({ ...options, random: () => 0.5 });

  describe.each(ALL_CODES)('%s', (code) => {
    const expected = RETRIED.includes(code);
    it.each([1, 2])(`after attempt %i: ${expected ? 'retried' : 'not retried'}`, (attempt) => {
      expect(policy.decide(fail(code), attempt).retry).toBe(expected);
    });
    it('never after the last attempt', () => {
      const decision = policy.decide(fail(code), 3);
      expect(decision).toEqual({ retry: false, reason: expect.any(String) });
    });
  });

  it('names the reason when it stops', () => {
    expect(policy.decide(fail('GW_UPSTREAM_BAD_REQUEST'), 1)).toEqual({ retry: false, reason: 'GW_UPSTREAM_BAD_REQUEST is not retried' });
    expect(policy.decide(fail('GW_UPSTREAM_ERROR'), 3)).toEqual({ retry: false, reason: '3 of 3 attempts used' });
  });

  it.each(RETRIED)('%s marked x-should-retry: false (deterministic) is not retried', (code) => {
    const decision = policy.decide(fail(code, { 'x-should-retry': 'false' }), 1);
    expect(decision).toEqual({ retry: false, reason: expect.stringContaining('x-should-retry: false') });
  });

  it('x-should-retry: true changes nothing', () => {
    expect(policy.decide(fail('GW_UPSTREAM_ERROR', { 'x-should-retry': 'true' }), 1).retry).toBe(true);
  });

  it('maxAttempts 1 never retries', () => {
    expect(new RetryPolicy({ ...options, maxAttempts: 1 }).decide(fail('GW_UPSTREAM_UNREACHABLE'), 1).retry).toBe(false);
  });
});

describe('RetryPolicy: backoff', () => {
  it.each([
    [1, 200],
    [2, 400],
    [3, 800],
    [5, 3_200],
    [6, 5_000],
    [60, 5_000],
  ])('attempt %i: ceiling %i ms', (attempt, ceiling) => {
    const policy = (random: number) => new RetryPolicy({ ...options, maxAttempts: 100, random: () => random });
    expect(policy(0).decide(fail('GW_UPSTREAM_ERROR'), attempt)).toEqual({ retry: true, delayMs: 0 });
    expect(policy(0.5).decide(fail('GW_UPSTREAM_ERROR'), attempt)).toEqual({ retry: true, delayMs: ceiling / 2 });
    const top = policy(0.999999).decide(fail('GW_UPSTREAM_ERROR'), attempt);
    expect(top).toEqual({ retry: true, delayMs: ceiling - 1 });
  });

  it('full jitter stays in [0, ceiling) over many seeded draws and uses the whole range', () => {
    const policy = new RetryPolicy({ ...options, maxAttempts: 100, random: seededRandom(42) });
    for (const attempt of [1, 2, 3, 4, 5, 6, 7]) {
      const ceiling = Math.min(5_000, 200 * 2 ** (attempt - 1));
      const delays = Array.from({ length: 500 }, () => {
        const decision = policy.decide(fail('GW_UPSTREAM_OVERLOADED'), attempt);
        if (!decision.retry) throw new Error('expected a retry');
        return decision.delayMs;
      });
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(ceiling);
      expect(delays.every(Number.isInteger)).toBe(true);
      // Spread, not a constant: the lowest and highest draws sit in opposite tenths.
      expect(Math.min(...delays)).toBeLessThan(ceiling / 10);
      expect(Math.max(...delays)).toBeGreaterThan((ceiling * 9) / 10);
    }
  });

  it('a random() out of [0, 1) is clamped, never a negative or oversized delay', () => {
    expect(new RetryPolicy({ ...options, random: () => -3 }).decide(fail('GW_UPSTREAM_ERROR'), 1)).toEqual({ retry: true, delayMs: 0 });
    expect(new RetryPolicy({ ...options, random: () => 7 }).decide(fail('GW_UPSTREAM_ERROR'), 1)).toEqual({ retry: true, delayMs: 200 });
  });
});

describe('RetryPolicy: retry-after', () => {
  const policy = new RetryPolicy({ ...options, random: () => 0.5 });
  const decide = (headers: Record<string, string>, code: ErrorCode = 'GW_UPSTREAM_RATE_LIMITED') => policy.decide(fail(code, headers), 1);

  it.each([
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '2' }, 2_000],
    [{ 'retry-after': ' 7 ' }, 7_000],
    [{ 'retry-after': '1.5' }, 1_500],
    [{ 'retry-after': '30' }, 30_000],
    [{ 'retry-after-ms': '1234' }, 1_234],
    [{ 'retry-after-ms': '12.2' }, 13],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after': new Date(NOW + 12_000).toUTCString() }, 12_000],
    [{ 'retry-after': new Date(NOW - 60_000).toUTCString() }, 0],
    [{ 'Retry-After': '3' }, 3_000],
  ])('%j: waits exactly %i ms', (headers, delayMs) => {
    expect(decide(headers)).toEqual({ retry: true, delayMs });
  });

  it.each<Record<string, string>>([{ 'retry-after': 'soon' }, { 'retry-after': '-5' }, { 'retry-after': '' }, { 'retry-after-ms': 'abc' }])(
    '%j is unreadable: falls back to backoff',
    (headers) => {
      expect(decide(headers)).toEqual({ retry: true, delayMs: 100 });
    },
  );

  it('a bad retry-after-ms falls through to a good retry-after', () => {
    expect(decide({ 'retry-after-ms': 'x', 'retry-after': '4' })).toEqual({ retry: true, delayMs: 4_000 });
  });

  it.each<[Record<string, string>]>([
    [{ 'retry-after': '31' }],
    [{ 'retry-after-ms': '30001' }],
    [{ 'retry-after': new Date(NOW + 120_000).toUTCString() }],
  ])('%j is longer than maxRetryAfterMs: not retried, with the reason', (headers) => {
    expect(decide(headers)).toEqual({ retry: false, reason: expect.stringContaining('asked to wait') });
  });

  it('is honoured on any retried code, and ignored on one that is not retried', () => {
    expect(decide({ 'retry-after': '3' }, 'GW_UPSTREAM_OVERLOADED')).toEqual({ retry: true, delayMs: 3_000 });
    expect(decide({ 'retry-after': '3' }, 'GW_UPSTREAM_BAD_REQUEST').retry).toBe(false);
  });

  it('does not override the attempt limit', () => {
    expect(policy.decide(fail('GW_UPSTREAM_RATE_LIMITED', { 'retry-after': '1' }), 3).retry).toBe(false);
  });
});

describe('RetryPolicy: options', () => {
  it('defaults to 3 attempts, 200 ms base, 5 s max, 30 s retry-after cap', () => {
    expect(DEFAULT_RETRY_POLICY_OPTIONS).toEqual({ maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 });
    const policy = new RetryPolicy({ random: () => 0.5, maxAttempts: undefined });
    expect(policy.maxAttempts).toBe(3);
    expect(policy.decide(fail('GW_UPSTREAM_ERROR'), 1)).toEqual({ retry: true, delayMs: 100 });
  });

  it.each([{ maxAttempts: 0 }, { maxAttempts: 1.5 }, { baseDelayMs: -1 }, { maxDelayMs: Number.NaN }, { maxRetryAfterMs: Infinity }])(
    'rejects %j',
    (bad) => {
      expect(() => new RetryPolicy(bad)).toThrow(RangeError);
    },
  );
});

import { MemoryRateLimiter } from './rate-limiter';

describe('MemoryRateLimiter', () => {
  it('admits requests_per_minute requests, then 429s until the minute turns', async () => {
    let now = 60_000 * 1000 + 15_000;
    const limiter = new MemoryRateLimiter(() => now);
    const limits = { requestsPerMinute: 2, tokensPerMinute: undefined };
    expect(await limiter.admit('k', limits)).toEqual({ ok: true });
    expect(await limiter.admit('k', limits)).toEqual({ ok: true });
    expect(await limiter.admit('k', limits)).toEqual({ ok: false, what: 'requests', retryAfterSeconds: 45 });
    expect(await limiter.admit('other', limits)).toEqual({ ok: true });
    now += 45_000;
    expect(await limiter.admit('k', limits)).toEqual({ ok: true });
  });

  it('refuses once the reported tokens reach tokens_per_minute', async () => {
    const limiter = new MemoryRateLimiter(() => 0);
    const limits = { requestsPerMinute: undefined, tokensPerMinute: 1_000 };
    expect(await limiter.admit('k', limits)).toEqual({ ok: true });
    await limiter.recordTokens('k', 1_000);
    expect(await limiter.admit('k', limits)).toMatchObject({ ok: false, what: 'tokens' });
  });
});

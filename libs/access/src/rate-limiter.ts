import type Redis from 'ioredis';
import { connectRedis, isClusterUrl } from '@turnout/config-store';

export type Admission = { readonly ok: true } | { readonly ok: false; readonly what: 'requests' | 'tokens'; readonly retryAfterSeconds: number };

export interface KeyLimits {
  readonly requestsPerMinute: number | undefined;
  readonly tokensPerMinute: number | undefined;
}

/**
 * Per-key limits over one-minute windows (fixed windows aligned to the minute: simple, cheap,
 * and good enough for a team gateway's fair use). Requests are counted on admission; tokens
 * after the answer (the upstream's usage), and a key over its token budget is refused until
 * the window turns.
 */
export interface RateLimiter {
  admit(keyId: string, limits: KeyLimits): Promise<Admission>;
  recordTokens(keyId: string, tokens: number): Promise<void>;
  close(): Promise<void>;
}

const WINDOW_MS = 60_000;

/** TURNOUT_REDIS_COMMAND_TIMEOUT_MS's default: every Redis command of the gateway gives up after this. */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 250;

const windowOf = (now: number) => Math.floor(now / WINDOW_MS);
const secondsLeft = (now: number) => Math.max(1, Math.ceil((WINDOW_MS - (now % WINDOW_MS)) / 1000));

/** One gateway's own counts: without Redis, limits hold per replica (documented). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { window: number; requests: number; tokens: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async admit(keyId: string, limits: KeyLimits): Promise<Admission> {
    const now = this.now();
    const counts = this.countsFor(keyId, now);
    if (limits.tokensPerMinute !== undefined && counts.tokens >= limits.tokensPerMinute) return { ok: false, what: 'tokens', retryAfterSeconds: secondsLeft(now) };
    if (limits.requestsPerMinute !== undefined && counts.requests >= limits.requestsPerMinute) return { ok: false, what: 'requests', retryAfterSeconds: secondsLeft(now) };
    counts.requests += 1;
    return { ok: true };
  }

  async recordTokens(keyId: string, tokens: number): Promise<void> {
    this.countsFor(keyId, this.now()).tokens += tokens;
  }

  async close(): Promise<void> {}

  private countsFor(keyId: string, now: number) {
    const window = windowOf(now);
    let counts = this.windows.get(keyId);
    if (!counts || counts.window !== window) {
      counts = { window, requests: 0, tokens: 0 };
      this.windows.set(keyId, counts);
    }
    return counts;
  }
}

/**
 * Check-and-count in one atomic script, so replicas sharing Redis enforce one limit together.
 * KEYS: request counter, token counter. ARGV: request limit (0 = none), token limit (0 = none).
 * Returns 0 admitted, 1 over requests, 2 over tokens.
 */
const ADMIT_SCRIPT = `
local tokens = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[2]) > 0 and tokens >= tonumber(ARGV[2]) then return 2 end
local requests = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > 0 and requests >= tonumber(ARGV[1]) then return 1 end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], 120)
return 0
`;

export interface RedisRateLimiterOptions {
  /** Every command's timeout (ioredis commandTimeout): a paused Redis must not hold requests. */
  readonly commandTimeoutMs?: number;
  /** `open` (default): admit while Redis cannot answer; `closed`: refuse (429). */
  readonly onStoreError?: 'open' | 'closed';
  /** Called on every admission Redis could not decide (a metric). */
  readonly onStoreFailure?: (policy: 'open' | 'closed') => void;
  readonly prefix?: string;
  readonly now?: () => number;
}

/** A store outage is logged at most this often, however many requests it touches. */
const WARN_INTERVAL_MS = 60_000;

/**
 * Limits shared by every replica. When Redis cannot answer within the command timeout, the
 * `on_store_error` policy decides: open (the default) admits, closed refuses. Either way the
 * failure is counted and logged at most once a minute: a team gateway should not stop serving
 * because its limiter's store is down unless its operator chose so.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly onStoreError: 'open' | 'closed';

  constructor(
    url: string,
    private readonly warn: (message: string) => void,
    private readonly options: RedisRateLimiterOptions = {},
  ) {
    this.prefix = options.prefix ?? 'turnout:limits:';
    this.now = options.now ?? Date.now;
    this.onStoreError = options.onStoreError ?? 'open';
    this.redis = connectRedis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (n) => Math.min(50 * 2 ** n, 2_000),
    });
    this.redis.on('error', () => undefined);
    // The admit script touches a key's requests and tokens counters: in a cluster, one hash slot.
    this.tag = isClusterUrl(url) ? (keyId) => `{${keyId}}` : (keyId) => keyId;
  }

  private readonly tag: (keyId: string) => string;

  async admit(keyId: string, limits: KeyLimits): Promise<Admission> {
    if (limits.requestsPerMinute === undefined && limits.tokensPerMinute === undefined) return { ok: true };
    const now = this.now();
    const window = windowOf(now);
    try {
      const verdict = (await this.redis.eval(
        ADMIT_SCRIPT,
        2,
        `${this.prefix}${this.tag(keyId)}:requests:${window}`,
        `${this.prefix}${this.tag(keyId)}:tokens:${window}`,
        String(limits.requestsPerMinute ?? 0),
        String(limits.tokensPerMinute ?? 0),
      )) as number;
      if (verdict === 0) return { ok: true };
      return { ok: false, what: verdict === 2 ? 'tokens' : 'requests', retryAfterSeconds: secondsLeft(now) };
    } catch (error) {
      this.options.onStoreFailure?.(this.onStoreError);
      const at = Date.now();
      if (at - this.lastWarnAt >= WARN_INTERVAL_MS) {
        this.lastWarnAt = at;
        const policy = this.onStoreError === 'open' ? 'admitted without limits' : 'refused';
        this.warn(`rate limits: redis did not answer (${(error as Error).message}); requests of limited keys are ${policy} (on_store_error: ${this.onStoreError})`);
      }
      return this.onStoreError === 'open' ? { ok: true } : { ok: false, what: 'requests', retryAfterSeconds: 1 };
    }
  }

  async recordTokens(keyId: string, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    const key = `${this.prefix}${this.tag(keyId)}:tokens:${windowOf(this.now())}`;
    await this.redis.multi().incrby(key, tokens).expire(key, 120).exec().catch(() => undefined);
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

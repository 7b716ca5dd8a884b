import type Redis from 'ioredis';
import { connectRedis } from '@turnout/config-store';

/** One day's use of one key (KEYS-API.md usage bucket). */
export interface UsageBucket {
  readonly date: string;
  readonly requests: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cost_usd: number;
}

export interface UsageDelta {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

/** What a key spent in the current UTC day and month (what budgets are checked against). */
export interface Spent {
  readonly dayTokens: number;
  readonly monthTokens: number;
  readonly dayUsd: number;
  readonly monthUsd: number;
}

/**
 * Per-key usage in daily buckets (UTC) plus a monthly total, kept `days` days: in Redis when
 * REDIS_URL is set (shared by replicas), in memory otherwise (per replica, lost on restart).
 */
export interface UsageStore {
  add(keyId: string, at: number, delta: UsageDelta): Promise<void>;
  /** The last `days` days, oldest first, today last; days without use are zeros. */
  daily(keyId: string, days: number, now: number): Promise<UsageBucket[]>;
  spent(keyId: string, now: number): Promise<Spent>;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
export const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);
export const monthOf = (at: number) => new Date(at).toISOString().slice(0, 7);
/** Cost is counted in micro-dollars (integers add exactly in Redis). */
const MICRO = 1_000_000;

interface Counts {
  requests: number;
  input: number;
  output: number;
  microUsd: number;
}
const zero = (): Counts => ({ requests: 0, input: 0, output: 0, microUsd: 0 });
const bucketOf = (date: string, counts: Counts): UsageBucket => ({
  date,
  requests: counts.requests,
  input_tokens: counts.input,
  output_tokens: counts.output,
  cost_usd: counts.microUsd / MICRO,
});
const lastDays = (days: number, now: number) => Array.from({ length: days }, (_, i) => dayOf(now - (days - 1 - i) * DAY_MS));

export class MemoryUsageStore implements UsageStore {
  private readonly counts = new Map<string, Map<string, Counts>>();

  constructor(private readonly keepDays: number) {}

  async add(keyId: string, at: number, delta: UsageDelta): Promise<void> {
    let perKey = this.counts.get(keyId);
    if (!perKey) this.counts.set(keyId, (perKey = new Map()));
    for (const period of [dayOf(at), monthOf(at)]) {
      const counts = perKey.get(period) ?? zero();
      counts.requests += delta.requests;
      counts.input += delta.inputTokens;
      counts.output += delta.outputTokens;
      counts.microUsd += Math.round(delta.costUsd * MICRO);
      perKey.set(period, counts);
    }
    // Bounded: days older than keepDays and months before the last two go.
    const oldestDay = dayOf(at - this.keepDays * DAY_MS);
    const oldestMonth = monthOf(at - 62 * DAY_MS);
    for (const period of perKey.keys()) if (period.length === 10 ? period < oldestDay : period < oldestMonth) perKey.delete(period);
  }

  async daily(keyId: string, days: number, now: number): Promise<UsageBucket[]> {
    const perKey = this.counts.get(keyId);
    return lastDays(days, now).map((date) => bucketOf(date, perKey?.get(date) ?? zero()));
  }

  async spent(keyId: string, now: number): Promise<Spent> {
    const perKey = this.counts.get(keyId);
    const day = perKey?.get(dayOf(now)) ?? zero();
    const month = perKey?.get(monthOf(now)) ?? zero();
    return { dayTokens: day.input + day.output, monthTokens: month.input + month.output, dayUsd: day.microUsd / MICRO, monthUsd: month.microUsd / MICRO };
  }

  async close(): Promise<void> {}
}

/**
 * Redis layout: one hash per key and day (`turnout:usage:{id}:2026-12-04`) and per key and month
 * (`…:2026-12`), fields r, i, o, c (micro-USD); the `{id}` hash tag keeps a key's hashes in one
 * Cluster slot so one MULTI updates both. Days expire after `keepDays`, months after 62 days.
 * Every command has the gateway's command timeout.
 */
export class RedisUsageStore implements UsageStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly keepDays: number,
    commandTimeoutMs: number,
  ) {
    this.redis = connectRedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: commandTimeoutMs, retryStrategy: (n) => Math.min(50 * 2 ** n, 2_000) });
    this.redis.on('error', () => undefined);
  }

  private name(keyId: string, period: string): string {
    return `turnout:usage:{${keyId}}:${period}`;
  }

  async add(keyId: string, at: number, delta: UsageDelta): Promise<void> {
    const day = this.name(keyId, dayOf(at));
    const month = this.name(keyId, monthOf(at));
    const micro = Math.round(delta.costUsd * MICRO);
    const multi = this.redis.multi();
    for (const [hash, ttlDays] of [[day, this.keepDays + 1], [month, 62]] as const) {
      multi.hincrby(hash, 'r', delta.requests).hincrby(hash, 'i', delta.inputTokens).hincrby(hash, 'o', delta.outputTokens).hincrby(hash, 'c', micro).expire(hash, ttlDays * 86_400);
    }
    await multi.exec();
  }

  async daily(keyId: string, days: number, now: number): Promise<UsageBucket[]> {
    const dates = lastDays(days, now);
    const pipeline = this.redis.pipeline();
    for (const date of dates) pipeline.hgetall(this.name(keyId, date));
    const results = (await pipeline.exec()) ?? [];
    return dates.map((date, index) => bucketOf(date, countsOf(results[index]?.[1] as Record<string, string> | undefined)));
  }

  async spent(keyId: string, now: number): Promise<Spent> {
    const [day, month] = await Promise.all([this.redis.hgetall(this.name(keyId, dayOf(now))), this.redis.hgetall(this.name(keyId, monthOf(now)))]);
    const d = countsOf(day);
    const m = countsOf(month);
    return { dayTokens: d.input + d.output, monthTokens: m.input + m.output, dayUsd: d.microUsd / MICRO, monthUsd: m.microUsd / MICRO };
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

function countsOf(hash: Record<string, string> | undefined): Counts {
  const n = (field: string) => Number(hash?.[field] ?? 0) || 0;
  return { requests: n('r'), input: n('i'), output: n('o'), microUsd: n('c') };
}

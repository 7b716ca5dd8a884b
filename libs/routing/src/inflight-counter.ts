import type Redis from 'ioredis';
import { connectRedis, isClusterUrl } from '@turnout/config-store';

/**
 * Requests in flight per provider, for `balance: least-in-flight`. In Redis when REDIS_URL is
 * set, so every gateway replica balances on the same numbers; in memory otherwise. A gateway
 * that dies mid-request leaves its increments behind, so Redis counters expire when idle.
 */
export interface InflightCounter {
  started(providerId: string): void;
  ended(providerId: string): void;
  counts(providerIds: readonly string[]): Promise<number[]>;
  close(): Promise<void>;
}

export class MemoryInflightCounter implements InflightCounter {
  private readonly counts_ = new Map<string, number>();

  started(providerId: string): void {
    this.counts_.set(providerId, (this.counts_.get(providerId) ?? 0) + 1);
  }

  ended(providerId: string): void {
    this.counts_.set(providerId, Math.max(0, (this.counts_.get(providerId) ?? 0) - 1));
  }

  async counts(providerIds: readonly string[]): Promise<number[]> {
    return providerIds.map((id) => this.counts_.get(id) ?? 0);
  }

  async close(): Promise<void> {}
}

/** Idle counters vanish after this; a busy one is refreshed on every change. */
const IDLE_EXPIRY_SECONDS = 3_600;

export class RedisInflightCounter implements InflightCounter {
  private readonly redis: Redis;
  private readonly local = new MemoryInflightCounter();

  private readonly prefix: string;

  constructor(url: string, prefix?: string, commandTimeoutMs = 250) {
    // counts() reads every provider's counter with one MGET: in a cluster, one hash slot.
    this.prefix = prefix ?? (isClusterUrl(url) ? '{turnout:inflight}:' : 'turnout:inflight:');
    // commandTimeout: a paused Redis answers nothing; the caller's fallback must run instead.
    this.redis = connectRedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: commandTimeoutMs, retryStrategy: (n) => Math.min(50 * 2 ** n, 2_000) });
    this.redis.on('error', () => undefined);
  }

  started(providerId: string): void {
    this.local.started(providerId);
    this.redis.multi().incr(this.prefix + providerId).expire(this.prefix + providerId, IDLE_EXPIRY_SECONDS).exec().catch(() => undefined);
  }

  ended(providerId: string): void {
    this.local.ended(providerId);
    this.redis.decr(this.prefix + providerId).catch(() => undefined);
  }

  /** Shared counts; this gateway's own when Redis cannot answer (balancing degrades, requests do not fail). */
  async counts(providerIds: readonly string[]): Promise<number[]> {
    try {
      const values = await this.redis.mget(...providerIds.map((id) => this.prefix + id));
      return values.map((value) => Math.max(0, Number(value ?? 0)));
    } catch {
      return this.local.counts(providerIds);
    }
  }

  /** Nest calls this at shutdown: the connection must not keep the process alive. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

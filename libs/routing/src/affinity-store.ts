import type Redis from 'ioredis';
import { connectRedis } from '@turnout/config-store';

/**
 * Which replica a Claude Code session was sent to, so its next turns go back there while it is
 * healthy (the replica's prompt cache holds the conversation). In Redis when REDIS_URL is set,
 * so every gateway replica agrees; in memory (bounded) otherwise.
 */
export interface AffinityStore {
  get(key: string): Promise<number | undefined>;
  set(key: string, targetIndex: number): Promise<void>;
  close(): Promise<void>;
}

/** A session's stickiness lasts this long after its last request (Claude Code sessions idle for hours). */
export const AFFINITY_TTL_SECONDS = 6 * 3600;
const MAX_MEMORY_ENTRIES = 50_000;

export class MemoryAffinityStore implements AffinityStore {
  private readonly entries = new Map<string, { index: number; expires: number }>();

  async get(key: string): Promise<number | undefined> {
    const entry = this.entries.get(key);
    if (!entry || entry.expires < Date.now()) return undefined;
    return entry.index;
  }

  async set(key: string, targetIndex: number): Promise<void> {
    this.entries.delete(key);
    if (this.entries.size >= MAX_MEMORY_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { index: targetIndex, expires: Date.now() + AFFINITY_TTL_SECONDS * 1000 });
  }

  async close(): Promise<void> {}
}

/** Redis-backed: lookups that fail (Redis down) answer "no affinity" rather than failing the request. */
export class RedisAffinityStore implements AffinityStore {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix = 'turnout:affinity:', commandTimeoutMs = 250) {
    // commandTimeout: a paused Redis answers nothing; the caller's fallback must run instead.
    this.redis = connectRedis(url, { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: commandTimeoutMs, retryStrategy: (n) => Math.min(50 * 2 ** n, 2_000) });
    this.redis.on('error', () => undefined);
  }

  async get(key: string): Promise<number | undefined> {
    try {
      const value = await this.redis.get(this.prefix + key);
      return value === null ? undefined : Number(value);
    } catch {
      return undefined;
    }
  }

  async set(key: string, targetIndex: number): Promise<void> {
    try {
      await this.redis.set(this.prefix + key, String(targetIndex), 'EX', AFFINITY_TTL_SECONDS);
    } catch {
      // Stickiness is an optimisation: a lost write costs one cold prompt cache, not a request.
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

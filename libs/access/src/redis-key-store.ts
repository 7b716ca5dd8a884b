import type Redis from 'ioredis';
import { connectRedis } from '@turnout/config-store';
import type { StoredKey } from './gateway-key';
import type { KeyStore } from './key-store';

export interface RedisKeyStoreOptions {
  readonly commandTimeoutMs: number;
  /** How often each replica asks whether the keys changed (one GET); a revocation reaches every replica within this. */
  readonly pollMs?: number;
  /** Last-use times are written at most this often per replica. */
  readonly touchFlushMs?: number;
  readonly warn: (message: string) => void;
}

/** One hash tag, so a Redis Cluster keeps the records, version and last-use times in one slot. */
const RECORDS = '{turnout:keys}:records';
const VERSION = '{turnout:keys}:version';
const LAST_USED = '{turnout:keys}:last_used';

/**
 * Keys in Redis, shared by every replica: a hash of JSON records plus a version counter. Each
 * replica polls the version (one GET every `pollMs`, 500 ms by default) and re-reads the hash
 * only when it moved, so a revocation is in force everywhere within a second without Redis on
 * the request path. While Redis cannot answer, the last snapshot stays in force (a revocation
 * made meanwhile waits for Redis: it was written there).
 */
export class RedisKeyStore implements KeyStore {
  readonly writable = true;
  private readonly redis: Redis;
  private snapshot: readonly StoredKey[] = [];
  private version: string | null | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly pendingTouches = new Map<string, number>();
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private polling: Promise<void> | undefined;

  private constructor(url: string, private readonly options: RedisKeyStoreOptions) {
    this.redis = connectRedis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs,
      retryStrategy: (n) => Math.min(50 * 2 ** n, 2_000),
    });
    this.redis.on('error', () => undefined);
    this.timer = setInterval(() => void this.poll(), options.pollMs ?? 500);
    this.timer.unref();
    this.flushTimer = setInterval(() => void this.flushTouches(), options.touchFlushMs ?? 5_000);
    this.flushTimer.unref();
  }

  /** Connects and reads the keys once (bounded by a few command timeouts), so the first request already sees them. */
  static async open(url: string, options: RedisKeyStoreOptions): Promise<RedisKeyStore> {
    const store = new RedisKeyStore(url, options);
    // Bounded: a Redis down at start delays the start by about two seconds, then the poll takes over.
    const deadline = Date.now() + 4 * options.commandTimeoutMs + 1_000;
    while (store.version === undefined && Date.now() < deadline) {
      await store.poll();
      if (store.version === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return store;
  }

  get loaded(): boolean {
    return this.version !== undefined;
  }

  keys(): readonly StoredKey[] {
    return this.snapshot;
  }

  async refresh(): Promise<void> {
    await this.poll(true);
  }

  async put(key: StoredKey): Promise<void> {
    await this.redis.multi().hset(RECORDS, key.id, JSON.stringify(key)).incr(VERSION).exec();
    await this.poll(true);
  }

  touch(id: string, at: number): void {
    this.pendingTouches.set(id, at);
  }

  async lastUsed(): Promise<ReadonlyMap<string, string>> {
    await this.flushTouches();
    const stored = await this.redis.hgetall(LAST_USED);
    return new Map(Object.entries(stored).map(([id, ms]) => [id, new Date(Number(ms)).toISOString()]));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.flushTimer);
    await this.flushTouches().catch(() => undefined);
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private poll(force = false): Promise<void> {
    // One poll at a time; a forced one (after a local write) waits for the running one, then reads.
    const run = async () => {
      try {
        const version = await this.redis.get(VERSION);
        if (!force && version === this.version) return;
        const records = await this.redis.hgetall(RECORDS);
        this.snapshot = Object.freeze(Object.values(records).map((text) => JSON.parse(text) as StoredKey));
        this.version = version;
      } catch (error) {
        this.warnAtMostEveryMinute(`keys: redis did not answer (${(error as Error).message}); the last keys read stay in force`);
      }
    };
    const next = (this.polling ?? Promise.resolve()).then(run);
    this.polling = next.finally(() => {
      if (this.polling === next) this.polling = undefined;
    });
    return next;
  }

  private async flushTouches(): Promise<void> {
    if (this.pendingTouches.size === 0) return;
    const entries = [...this.pendingTouches];
    this.pendingTouches.clear();
    await this.redis.hset(LAST_USED, Object.fromEntries(entries.map(([id, at]) => [id, String(at)]))).catch(() => undefined);
  }

  private warnAtMostEveryMinute(message: string): void {
    const now = Date.now();
    if (now - this.lastWarnAt < 60_000) return;
    this.lastWarnAt = now;
    this.options.warn(message);
  }
}

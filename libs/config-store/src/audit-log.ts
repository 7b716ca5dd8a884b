import type Redis from 'ioredis';
import { connectRedis } from './redis-connection';

/** One admin write (KEYS-API.md audit entry): who, what, on what, when. Never a secret. */
export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** The admin writes, newest first, at most `maxEntries` (older ones dropped). */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  list(limit: number): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

/** File mode: this process's writes only (lost on restart; the config file has its own history in git). */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];

  constructor(private readonly maxEntries: number) {}

  async append(entry: AuditEntry): Promise<void> {
    this.entries.unshift(entry);
    if (this.entries.length > this.maxEntries) this.entries.length = this.maxEntries;
  }

  async list(limit: number): Promise<AuditEntry[]> {
    return this.entries.slice(0, limit);
  }

  async close(): Promise<void> {}
}

const AUDIT_LIST = 'turnout:audit';

/** One Redis list shared by every replica: LPUSH then LTRIM in one MULTI, so it never grows past `maxEntries`. */
export class RedisAuditLog implements AuditLog {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly maxEntries: number,
    commandTimeoutMs: number,
  ) {
    this.redis = connectRedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: commandTimeoutMs, retryStrategy: (n) => Math.min(50 * 2 ** n, 2_000) });
    this.redis.on('error', () => undefined);
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.redis.multi().lpush(AUDIT_LIST, JSON.stringify(entry)).ltrim(AUDIT_LIST, 0, this.maxEntries - 1).exec();
  }

  async list(limit: number): Promise<AuditEntry[]> {
    const texts = await this.redis.lrange(AUDIT_LIST, 0, limit - 1);
    return texts.map((text) => JSON.parse(text) as AuditEntry);
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

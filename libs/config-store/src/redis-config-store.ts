import Redis from 'ioredis';
import { ConfigError, readConfigDocument, validateConfig } from '@turnout/routing';
import { COMPARE_AND_SET_SCRIPT } from './compare-and-set-script';
import { parseStoredDocument, SCHEMA_VERSION, snapshotOf, type ConfigDocument, type ConfigSnapshot } from './config-document';
import type { ConfigReadiness, ConfigStore, ConfigStoreStats, StoreLogger } from './config-store';
import { ConfigStoreError } from './config-store-error';

export interface RedisConfigStoreOptions {
  readonly url: string;
  readonly keyPrefix?: string;
  /** The config file: seeds an empty Redis, and is served while Redis is unreachable at start. */
  readonly seedFile?: string;
  /** Safety net for a missed change notice. */
  readonly pollIntervalMs?: number;
  readonly historyLimit?: number;
  /** How long start() waits for Redis before falling back to the file. */
  readonly connectTimeoutMs?: number;
  readonly logger?: StoreLogger;
}

const consoleLogger: StoreLogger = { log: (m) => console.log(m), warn: (m) => console.warn(m) };

/** Reconnect backoff: quick at first, then every 2 s at most (a restarted Redis is picked up fast). */
const retryStrategy = (attempt: number): number => Math.min(50 * 2 ** attempt, 2_000);

/**
 * The config document in Redis, live on every replica: writes are one atomic compare-and-set
 * script that also publishes a notice; every replica's subscriber (its own connection) reloads
 * on the notice, and a slow poll catches a missed one. A document that does not validate is
 * refused and the last good snapshot stays. Redis lost later: the snapshot in force keeps
 * serving; writes fail at once (no offline queue), so nothing is silently lost.
 */
export class RedisConfigStore implements ConfigStore {
  private readonly keys: { document: string; revision: string; history: string; channel: string };
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly logger: StoreLogger;
  private readonly listeners = new Set<(snapshot: ConfigSnapshot) => void>();
  private snapshot: ConfigSnapshot | undefined;
  private source: 'file' | 'redis' = 'redis';
  private applied = 0;
  private rejected = 0;
  private lastRejectedRevision: number | undefined;
  private disconnectedSince: Date | undefined;
  private poller: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: RedisConfigStoreOptions) {
    const prefix = options.keyPrefix ?? 'turnout:';
    this.keys = { document: `${prefix}config`, revision: `${prefix}config:revision`, history: `${prefix}config:history`, channel: `${prefix}config:changed` };
    this.logger = options.logger ?? consoleLogger;
    const common = { lazyConnect: true, retryStrategy, maxRetriesPerRequest: 1, connectTimeout: options.connectTimeoutMs ?? 2_000, disconnectTimeout: 200 };
    // No offline queue: a write while Redis is down must fail now, not run minutes later.
    this.commands = new Redis(options.url, { ...common, enableOfflineQueue: false });
    this.subscriber = new Redis(options.url, { ...common, enableOfflineQueue: true });
    this.commands.on('error', () => undefined); // reported through readiness, not as crashes
    this.subscriber.on('error', () => undefined);
    this.commands.on('close', () => (this.disconnectedSince ??= new Date()));
    this.commands.on('ready', () => void this.onReconnected());
    this.subscriber.on('message', (_channel: string) => void this.reload());
  }

  async start(): Promise<void> {
    try {
      await this.commands.connect();
      await this.subscriber.connect();
      await this.subscriber.subscribe(this.keys.channel);
      this.disconnectedSince = undefined;
      await this.seedIfEmpty();
      await this.reload();
    } catch (error) {
      if (this.options.seedFile === undefined) {
        this.logger.warn(`config store: redis unreachable (${describe(error)}) and no config file to start from: not ready`);
      } else {
        this.snapshot = snapshotOf({ schema_version: SCHEMA_VERSION, revision: 0, updated_at: new Date().toISOString(), updated_by: `file:${this.options.seedFile}`, config: readConfigDocument(this.options.seedFile) });
        this.source = 'file';
        this.logger.warn(`config store: redis unreachable (${describe(error)}); serving ${this.options.seedFile} until it returns`);
      }
      this.disconnectedSince ??= new Date();
      // ioredis keeps reconnecting; `ready` then seeds and loads.
      if (this.commands.status === 'end' || this.commands.status === 'wait') void this.commands.connect().catch(() => undefined);
      if (this.subscriber.status === 'end' || this.subscriber.status === 'wait') void this.subscriber.connect().then(() => this.subscriber.subscribe(this.keys.channel)).catch(() => undefined);
    }
    this.poller = setInterval(() => void this.reload(), this.options.pollIntervalMs ?? 5_000);
    this.poller.unref();
  }

  current(): ConfigSnapshot {
    if (!this.snapshot) throw new ConfigStoreError('unavailable', 'no routing config yet: redis is unreachable and no config file was given');
    return this.snapshot;
  }

  async replace(config: unknown, expectedRevision: number | undefined, by?: string): Promise<ConfigSnapshot> {
    return this.write(config, expectedRevision, by, undefined);
  }

  private async write(config: unknown, expectedRevision: number | undefined, by: string | undefined, revisionToWrite: number | undefined): Promise<ConfigSnapshot> {
    try {
      validateConfig(config);
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigStoreError('invalid', error.message);
      throw error;
    }
    const rest = `"updated_at":${JSON.stringify(new Date().toISOString())},${by ? `"updated_by":${JSON.stringify(by)},` : ''}"config":${JSON.stringify(config)}}`;
    let result: [number, number];
    try {
      result = (await this.commands.eval(
        COMPARE_AND_SET_SCRIPT,
        3,
        this.keys.document,
        this.keys.revision,
        this.keys.history,
        expectedRevision === undefined ? '' : String(expectedRevision),
        rest,
        String(this.options.historyLimit ?? 50),
        this.keys.channel,
        revisionToWrite === undefined ? '' : String(revisionToWrite),
      )) as [number, number];
    } catch (error) {
      throw new ConfigStoreError('unavailable', `redis is unreachable (${describe(error)}); nothing was written`);
    }
    const [written, revision] = result;
    if (written !== 1) throw new ConfigStoreError('conflict', `revision ${expectedRevision} is not current (current: ${revision})`, revision);
    await this.reload();
    return this.current();
  }

  async history(limit: number): Promise<ConfigDocument[]> {
    let texts: string[];
    try {
      const [current, previous] = await Promise.all([this.commands.get(this.keys.document), this.commands.lrange(this.keys.history, 0, Math.max(0, limit - 2))]);
      texts = [...(current ? [current] : []), ...previous];
    } catch (error) {
      throw new ConfigStoreError('unavailable', `redis is unreachable (${describe(error)})`);
    }
    return texts.slice(0, limit).flatMap((text) => {
      try {
        return [JSON.parse(text) as ConfigDocument];
      } catch {
        return [];
      }
    });
  }

  async rollback(revision: number, by?: string): Promise<ConfigSnapshot> {
    const documents = await this.history(this.options.historyLimit ?? 50);
    const target = documents.find((document) => document.revision === revision);
    if (!target) throw new ConfigStoreError('not_found', `revision ${revision} is not in the kept history (${documents.map((d) => d.revision).join(', ')})`);
    const current = documents[0]?.revision;
    return this.replace(target.config, current, by ?? `rollback to ${revision}`);
  }

  readiness(): ConfigReadiness {
    if (!this.snapshot) return { ready: false, source: this.source, detail: 'redis unreachable and no config file: no routing config' };
    const serving = this.source === 'file' ? `serving ${this.options.seedFile} (revision 0)` : `serving revision ${this.snapshot.revision}`;
    if (this.disconnectedSince) return { ready: true, source: this.source, detail: `${serving}; redis disconnected since ${this.disconnectedSince.toISOString()}, changes will apply when it returns` };
    return { ready: true, source: this.source, detail: `${serving} from redis` };
  }

  onChange(listener: (snapshot: ConfigSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): ConfigStoreStats {
    return { applied: this.applied, rejected: this.rejected };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    // QUIT lets Redis close the socket; disconnect() alone leaves ioredis a close timer running.
    await Promise.all(
      [this.commands, this.subscriber].map(async (connection) => {
        if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
        else connection.disconnect();
      }),
    );
  }

  /** Reads the stored document and swaps it in if it is newer and valid. Never throws. */
  private async reload(): Promise<void> {
    if (this.closed) return;
    let text: string | null;
    try {
      text = await this.commands.get(this.keys.document);
    } catch {
      return; // disconnected: keep serving what we have
    }
    if (text === null) return;
    let next: ConfigSnapshot;
    try {
      next = parseStoredDocument(text);
    } catch (error) {
      const revision = revisionIn(text);
      if (revision !== this.lastRejectedRevision) {
        this.rejected++;
        this.lastRejectedRevision = revision;
        this.logger.warn(`config store: stored revision ${revision ?? '?'} rejected, keeping revision ${this.snapshot?.revision ?? 'none'}: ${(error as Error).message}`);
      }
      return;
    }
    if (this.snapshot && this.source === 'redis' && next.revision <= this.snapshot.revision) return;
    this.snapshot = next;
    this.source = 'redis';
    this.applied++;
    this.logger.log(`config store: revision ${next.revision} in force`);
    for (const listener of this.listeners) listener(next);
  }

  private async onReconnected(): Promise<void> {
    if (this.closed) return;
    this.disconnectedSince = undefined;
    await this.seedIfEmpty().catch(() => undefined);
    await this.reload();
  }

  /**
   * An empty Redis: on first start the file becomes revision 1 (two replicas racing seed once).
   * A Redis that came back empty (it keeps nothing on disk) gets the document the replicas were
   * serving, with its revision, rather than the older file: a restart must not undo changes.
   */
  private async seedIfEmpty(): Promise<void> {
    if ((await this.commands.exists(this.keys.document)) === 1) return;
    const serving = this.source === 'redis' ? this.snapshot : undefined;
    if (serving === undefined && this.options.seedFile === undefined) return;
    try {
      if (serving) {
        await this.write(serving.document.config, 0, serving.document.updated_by ?? 'restored', serving.revision);
        this.logger.warn(`config store: redis came back empty; restored revision ${serving.revision} from this replica`);
      } else {
        await this.write(readConfigDocument(this.options.seedFile as string), 0, `seed:${this.options.seedFile}`, undefined);
        this.logger.log(`config store: redis was empty; seeded from ${this.options.seedFile}`);
      }
    } catch (error) {
      if (!(error instanceof ConfigStoreError && error.kind === 'conflict')) throw error;
    }
  }
}

function revisionIn(text: string): number | undefined {
  const match = /"revision"\s*:\s*(\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import type Redis from 'ioredis';
import { readConfigDocument } from '@turnout/config';
import { checkConfig } from './check-config';
import { CoalescedRunner } from './coalesced-runner';
import { COMPARE_AND_SET_SCRIPT } from './compare-and-set-script';
import { parseStoredDocument, SCHEMA_VERSION, snapshotOf, type ConfigDocument, type ConfigSnapshot } from './config-document';
import type { ConfigReadiness, ConfigStore, ConfigStoreStats, StoreLogger } from './config-store';
import { ConfigStoreError } from './config-store-error';
import { seedDriftWarning } from './seed-drift';
import { connectRedis, isClusterUrl } from './redis-connection';
import { describeRedisReadiness, type RedisConnectionState } from './redis-readiness';
import { redisStoreKeys, type RedisStoreKeys } from './redis-store-keys';
import { RejectedDocuments } from './rejected-documents';
import { RESTORE_SCRIPT } from './restore-script';
import { judgeStoredDocument, type ServedSnapshot } from './served-snapshot';

export interface RedisConfigStoreOptions {
  readonly url: string;
  readonly keyPrefix?: string;
  /** The config file: seeds an empty Redis, and is served while Redis cannot give a valid document. */
  readonly seedFile?: string;
  /** Safety net for a missed change notice. */
  readonly pollIntervalMs?: number;
  readonly historyLimit?: number;
  /** How long start() waits for Redis before falling back to the file. */
  readonly connectTimeoutMs?: number;
  /** Every command's timeout (ioredis commandTimeout); a write past it answers unavailable and is never applied. */
  readonly commandTimeoutMs?: number;
  readonly logger?: StoreLogger;
}

const consoleLogger: StoreLogger = { log: (m) => console.log(m), warn: (m) => console.warn(m) };

/** Every Redis command's timeout unless configured: a stalled Redis must not hang a request. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 250;

/** The share of the command timeout a write's script may start within. */
const DEADLINE_SHARE = 0.8;

/** Reconnect backoff: quick at first, then every 2 s at most (a restarted Redis is picked up fast). */
const retryStrategy = (attempt: number): number => Math.min(50 * 2 ** attempt, 2_000);

/**
 * The config document in Redis, live on every replica: writes are one atomic compare-and-set
 * script that also publishes a notice; every replica's subscriber (its own connection) reloads
 * on the notice, and a slow poll catches a missed one. A document that does not validate is
 * refused and the last good snapshot stays. Redis lost later: the snapshot in force keeps
 * serving; writes fail at once (no offline queue), so nothing is silently lost. Redis back
 * empty or behind (it keeps nothing on disk, or failed over): the replica puts its snapshot
 * back rather than following Redis backwards.
 */
export class RedisConfigStore implements ConfigStore {
  private readonly keys: RedisStoreKeys;
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly logger: StoreLogger;
  private readonly listeners = new Set<(snapshot: ConfigSnapshot) => void>();
  private readonly rejections: RejectedDocuments;
  /** Reads never interleave, and a burst of notices costs at most two reads. */
  private readonly reloader = new CoalescedRunner(() => this.reloadOnce());
  private served: ServedSnapshot | undefined;
  private connection: RedisConnectionState = { connected: false };
  private seedProblem: string | undefined;
  private applied = 0;
  private poller: NodeJS.Timeout | undefined;
  private closed = false;
  /** Redis's clock minus ours (ms), from the last script that read TIME; writes set their deadline with it. */
  private redisClockOffsetMs: number | undefined;

  constructor(private readonly options: RedisConfigStoreOptions) {
    // In a cluster the scripts' keys (document, revision, history) must share a hash slot.
    this.keys = redisStoreKeys(options.keyPrefix ?? (isClusterUrl(options.url) ? '{turnout}:' : 'turnout:'));
    this.logger = options.logger ?? consoleLogger;
    this.rejections = new RejectedDocuments(this.logger);
    const common = { lazyConnect: true, retryStrategy, maxRetriesPerRequest: 1, connectTimeout: options.connectTimeoutMs ?? 2_000, disconnectTimeout: 200 };
    // No offline queue: a write while Redis is down must fail now, not run minutes later.
    this.commands = connectRedis(options.url, { ...common, enableOfflineQueue: false, commandTimeout: this.commandTimeoutMs });
    this.subscriber = connectRedis(options.url, { ...common, enableOfflineQueue: true });
    this.commands.on('error', (error: Error) => (this.connection = { ...this.connection, lastError: error.message }));
    this.subscriber.on('error', () => undefined); // the commands connection reports the outage
    this.commands.on('close', () => {
      if (this.connection.connected || this.connection.lostSince === undefined) this.connection = { connected: false, lostSince: new Date(), lastError: this.connection.lastError };
    });
    this.commands.on('ready', () => {
      this.connection = { connected: true };
      void this.reload();
    });
    // Subscribed on every (re)connect, also when the first connect failed and ioredis had nothing
    // to resubscribe. The subscriber reconnects on its own schedule, after the commands
    // connection: a notice published in between was lost, so one reload once subscribed picks up
    // what it announced (before, only the next poll did).
    this.subscriber.on('ready', () =>
      void this.subscriber
        .subscribe(this.keys.channel)
        .then(() => this.reload())
        .catch(() => undefined),
    );
    this.subscriber.on('message', () => void this.reload());
  }

  async start(): Promise<void> {
    try {
      await this.commands.connect();
      this.connection = { connected: true };
    } catch (error) {
      this.connection = { connected: false, lostSince: new Date(), lastError: describe(error) };
      this.logger.warn(`config store: redis unreachable (${describe(error)})${this.options.seedFile ? `; serving ${this.options.seedFile} until it returns` : ' and no config file to start from: not ready'}`);
      // ioredis keeps reconnecting; `ready` then seeds or loads.
      if (this.commands.status === 'end' || this.commands.status === 'wait') void this.commands.connect().catch(() => undefined);
    }
    if (this.connection.connected) {
      // Listening before the first read: a write made right after start() must not be missed.
      // A subscriber that fails here is not a Redis outage (the commands connection works);
      // ioredis keeps reconnecting it, and its `ready` handler subscribes.
      await this.subscriber
        .connect()
        .then(() => this.subscriber.subscribe(this.keys.channel))
        .catch((error: unknown) => this.logger.warn(`config store: change notices not subscribed yet (${describe(error)}); the poll covers until they are`));
      await this.reload();
    } else if (this.subscriber.status === 'wait' || this.subscriber.status === 'end') {
      void this.subscriber.connect().catch(() => undefined);
    }
    if (this.served === undefined) this.serveFile();
    this.poller = setInterval(() => void this.reload(), this.options.pollIntervalMs ?? 5_000);
    this.poller.unref();
  }

  current(): ConfigSnapshot {
    if (!this.served) throw new ConfigStoreError('unavailable', 'no routing config yet: redis is unreachable and no config file was given');
    return this.served.snapshot;
  }

  async replace(config: unknown, expectedRevision: number | undefined, by?: string): Promise<ConfigSnapshot> {
    checkConfig(config);
    const rest = `"updated_at":${JSON.stringify(new Date().toISOString())},${by ? `"updated_by":${JSON.stringify(by)},` : ''}"config":${JSON.stringify(config)}}`;
    let result: [number, number, string, number];
    try {
      const deadline = await this.writeDeadline();
      result = (await this.commands.eval(
        COMPARE_AND_SET_SCRIPT,
        3,
        this.keys.document,
        this.keys.revision,
        this.keys.history,
        expectedRevision === undefined ? '' : String(expectedRevision),
        rest,
        String(this.historyLimit),
        this.keys.channel,
        String(deadline),
      )) as [number, number, string, number];
    } catch (error) {
      throw new ConfigStoreError('unavailable', `redis is unreachable (${describe(error)}); nothing was written`);
    }
    const [written, revision, text, redisNow] = result;
    this.redisClockOffsetMs = redisNow - Date.now();
    if (written === 2) throw new ConfigStoreError('unavailable', 'redis answered after the write deadline; nothing was written');
    if (written !== 1 || text === '') throw new ConfigStoreError('conflict', `revision ${expectedRevision} is not current (current: ${revision})`, revision);
    // The very bytes the other replicas will read: no second round trip, no window where this
    // replica answers the write with an older snapshot.
    this.consider(parseStoredDocument(text), text);
    return this.current();
  }

  private get commandTimeoutMs(): number {
    return this.options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  /**
   * The last moment, in Redis's clock, at which this write may still apply: now plus most of the
   * command timeout, so a script that runs at all runs before this writer gives up on its reply
   * (the margin covers the clock offset's error, half a round trip). The offset is read once
   * with TIME and refreshed by every write.
   */
  private async writeDeadline(): Promise<number> {
    if (this.redisClockOffsetMs === undefined) {
      const sentAt = Date.now();
      const [seconds, micros] = await this.commands.time();
      this.redisClockOffsetMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - sentAt;
    }
    return Date.now() + this.redisClockOffsetMs + Math.floor(this.commandTimeoutMs * DEADLINE_SHARE);
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
    const documents = await this.history(this.historyLimit);
    const target = documents.find((document) => document.revision === revision);
    if (!target) throw new ConfigStoreError('not_found', `revision ${revision} is not in the kept history (${documents.map((d) => d.revision).join(', ')})`);
    return this.replace(target.config, documents[0]?.revision, by ?? `rollback to ${revision}`);
  }

  readiness(): ConfigReadiness {
    return describeRedisReadiness({ served: this.served, connection: this.connection, rejection: this.rejections.pending, seedFile: this.options.seedFile, seedProblem: this.seedProblem });
  }

  onChange(listener: (snapshot: ConfigSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): ConfigStoreStats {
    return { applied: this.applied, rejected: this.rejections.total, redisConnected: this.connection.connected };
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

  private get historyLimit(): number {
    return this.options.historyLimit ?? 50;
  }

  private reload(): Promise<void> {
    return this.closed ? Promise.resolve() : this.reloader.run();
  }

  /** Reads the stored document and acts on it: apply, ignore, restore, seed or reject. Never throws. */
  private async reloadOnce(): Promise<void> {
    if (this.closed) return;
    let text: string | null;
    try {
      text = await this.commands.get(this.keys.document);
    } catch {
      return; // disconnected: keep serving what we have
    }
    try {
      if (text === null) {
        this.rejections.clear();
        await this.fillEmptyRedis();
        return;
      }
      let stored: ConfigSnapshot;
      try {
        stored = parseStoredDocument(text);
      } catch (error) {
        this.rejections.record(text, (error as Error).message, this.served?.snapshot.revision);
        if (this.served === undefined) this.serveFile();
        return;
      }
      this.rejections.clear();
      if (this.consider(stored, text) === 'redis-behind') await this.restore(this.served as ServedSnapshot & { source: 'redis' });
    } catch (error) {
      // A write lost to a disconnect mid-way: the next reload (notice, poll or reconnect) tries again.
      this.logger.warn(`config store: ${describe(error)}`);
    }
  }

  /** Puts a valid stored document in force if it is newer than the one served. */
  private consider(stored: ConfigSnapshot, text: string): 'apply' | 'same' | 'redis-behind' {
    const verdict = judgeStoredDocument(this.served, { revision: stored.revision, text });
    if (verdict !== 'apply') return verdict;
    const first = this.served === undefined;
    const firstFromRedis = this.served?.source !== 'redis';
    this.served = { source: 'redis', snapshot: stored, storedText: text };
    if (!first) this.applied++;
    this.logger.log(`config store: revision ${stored.revision} in force`);
    if (firstFromRedis && this.options.seedFile !== undefined) {
      const drift = seedDriftWarning(this.options.seedFile, stored);
      if (drift) this.logger.warn(drift);
    }
    for (const listener of this.listeners) listener(stored);
    return verdict;
  }

  /**
   * An empty Redis. First start: the file becomes revision 1 (two replicas racing seed once:
   * the loser's compare-and-set fails). Redis came back empty: the document this replica
   * serves goes back with its own revision, not the older file; a restart must not undo changes.
   */
  private async fillEmptyRedis(): Promise<void> {
    const served = this.served;
    if (served?.source === 'redis') {
      await this.restore(served);
      return;
    }
    const seed = served?.snapshot.document.config ?? this.readSeedFile();
    if (seed === undefined) return;
    try {
      await this.replace(seed, 0, `seed:${this.options.seedFile}`);
      this.logger.log(`config store: redis was empty; seeded from ${this.options.seedFile}`);
    } catch (error) {
      if (!(error instanceof ConfigStoreError && error.kind === 'conflict')) throw error;
      void this.reload(); // another replica seeded first: read what it wrote (one more pass, not awaited: we are inside the reload)
    }
  }

  private async restore(served: ServedSnapshot & { source: 'redis' }): Promise<void> {
    const [restored, stored] = (await this.commands.eval(
      RESTORE_SCRIPT,
      3,
      this.keys.document,
      this.keys.revision,
      this.keys.history,
      String(served.snapshot.revision),
      served.storedText,
      String(this.historyLimit),
      this.keys.channel,
    )) as [number, number];
    if (restored === 1) this.logger.warn(`config store: redis had lost revision ${served.snapshot.revision}; restored it from this replica`);
    else if (stored > served.snapshot.revision) void this.reload(); // someone wrote meanwhile: one more pass follows it
  }

  /** The file stands in while Redis gives no valid document (unreachable at start, or holding junk). */
  private serveFile(): void {
    const config = this.readSeedFile();
    if (config === undefined) return;
    const document = { schema_version: SCHEMA_VERSION, revision: 0, updated_at: new Date().toISOString(), updated_by: `file:${this.options.seedFile}`, config };
    this.served = { source: 'file', snapshot: snapshotOf(document) };
  }

  private readSeedFile(): unknown {
    if (this.options.seedFile === undefined) return undefined;
    try {
      const config = readConfigDocument(this.options.seedFile);
      checkConfig(config);
      this.seedProblem = undefined;
      return config;
    } catch (error) {
      this.seedProblem = `config file ${this.options.seedFile} unusable: ${describe(error)}`;
      return undefined;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

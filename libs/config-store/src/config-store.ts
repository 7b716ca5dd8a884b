import type { ConfigDocument, ConfigSnapshot } from './config-document';

/**
 * `ready` means: this replica has a validated config to route with. Serving the last good
 * snapshot while Redis is away is ready: routing is correct, only changes are paused, and
 * taking every replica out of the load balancer because Redis blipped would turn a config-store
 * outage into a full outage. What is wrong (Redis disconnected, a stored document rejected, the
 * file standing in for Redis) is in `detail`, so `/ready` still tells the whole truth.
 */
export interface ConfigReadiness {
  readonly ready: boolean;
  /** Where the snapshot in force came from. */
  readonly source: 'file' | 'redis';
  /** One sentence an operator can act on. */
  readonly detail: string;
}

export interface ConfigStoreStats {
  /** Snapshots put in force after the first one (writes, reloads, the switch from file to Redis). */
  readonly applied: number;
  /** Stored documents refused because they did not validate, once per document; the last good snapshot stayed. */
  readonly rejected: number;
  /** Redis stores only: whether the connection to Redis is up now (`turnout_redis_up`). */
  readonly redisConnected?: boolean;
}

export interface StoreLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * Where the routing config lives. `current()` is a plain field read (one frozen snapshot,
 * replaced whole), so a request reads it once and a change never reaches a request in flight.
 */
export interface ConfigStore {
  start(): Promise<void>;
  /** The snapshot in force; throws ConfigStoreError('unavailable') when there is none. */
  current(): ConfigSnapshot;
  /** Validates and writes a new document; `expectedRevision` (If-Match) must still be current. */
  replace(config: unknown, expectedRevision: number | undefined, by?: string): Promise<ConfigSnapshot>;
  /** The current document first, then earlier revisions, newest first; at most `limit`. */
  history(limit: number): Promise<ConfigDocument[]>;
  /** Makes the content of an earlier revision live again, as a new revision. */
  rollback(revision: number, by?: string): Promise<ConfigSnapshot>;
  readiness(): ConfigReadiness;
  /** Called after every swap; returns the unsubscribe function. */
  onChange(listener: (snapshot: ConfigSnapshot) => void): () => void;
  stats(): ConfigStoreStats;
  close(): Promise<void>;
}

import type { ConfigReadiness } from './config-store';
import type { Rejection } from './rejected-documents';
import type { ServedSnapshot } from './served-snapshot';

export interface RedisConnectionState {
  readonly connected: boolean;
  /** When the current outage began (unset while connected). */
  readonly lostSince?: Date;
  readonly lastError?: string;
}

export interface RedisStoreState {
  readonly served: ServedSnapshot | undefined;
  readonly connection: RedisConnectionState;
  /** The document Redis holds now, when it did not validate. */
  readonly rejection: Rejection | undefined;
  readonly seedFile: string | undefined;
  /** Why the seed file could not be used, when it was needed. */
  readonly seedProblem: string | undefined;
}

/** What `/ready` says for the Redis store: see ConfigReadiness for what "ready" means. */
export function describeRedisReadiness(state: RedisStoreState): ConfigReadiness {
  const { served, connection, rejection, seedFile } = state;
  const unreachable = `redis unreachable${connection.lastError ? ` (${connection.lastError})` : ''}`;
  const invalid = rejection ? `redis revision ${rejection.revision ?? '?'} is invalid (${rejection.message})` : undefined;
  if (served === undefined) {
    const why = !connection.connected
      ? `${unreachable} and no config file to start from`
      : (state.seedProblem ?? (invalid ? `${invalid} and no config file to fall back on` : 'redis holds no config and no config file was given to seed it'));
    return { ready: false, source: 'redis', detail: `no routing config: ${why}` };
  }
  if (served.source === 'file') {
    const detail = !connection.connected
      ? `${unreachable}; serving ${seedFile} until it returns`
      : invalid
        ? `${invalid}; serving ${seedFile} until a valid revision is written`
        : `serving ${seedFile}; switching to redis`;
    return { ready: true, source: 'file', detail };
  }
  const revision = served.snapshot.revision;
  if (!connection.connected) {
    const since = connection.lostSince ? ` since ${connection.lostSince.toISOString()}` : '';
    const cause = connection.lastError ? ` (${connection.lastError})` : '';
    return { ready: true, source: 'redis', detail: `serving revision ${revision} (last good); redis disconnected${since}${cause}: changes cannot be written or received until it returns` };
  }
  const held = invalid ? `; ${invalid} and was rejected` : '';
  return { ready: true, source: 'redis', detail: `serving revision ${revision} from redis${held}` };
}

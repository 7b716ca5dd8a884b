import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';

/**
 * Where Redis is, from `REDIS_URL`:
 * - `redis://[user:password@]host:port[/db]` (or `rediss://`): one server;
 * - `redis+sentinel://[:password@]host:port[,host:port…]/MASTER[?role=master]`: Sentinel, which
 *   names the current master of MASTER (failover is followed);
 * - `redis+cluster://[:password@]host:port[,host:port…]`: Redis Cluster, from any of its nodes.
 */
export type RedisTarget =
  | { readonly mode: 'single'; readonly url: string }
  | { readonly mode: 'sentinel'; readonly sentinels: readonly HostPort[]; readonly name: string; readonly password?: string; readonly db?: number }
  | { readonly mode: 'cluster'; readonly nodes: readonly HostPort[]; readonly password?: string };

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export class RedisUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUrlError';
  }
}

export function parseRedisUrl(url: string): RedisTarget {
  const scheme = /^([a-z+]+):\/\//.exec(url)?.[1];
  if (scheme === 'redis' || scheme === 'rediss') return { mode: 'single', url };
  if (scheme !== 'redis+sentinel' && scheme !== 'redis+cluster') {
    throw new RedisUrlError(`REDIS_URL: expected redis://, rediss://, redis+sentinel:// or redis+cluster:// (got "${url.split('://')[0]}://…")`);
  }
  const rest = url.slice(scheme.length + 3);
  const at = rest.lastIndexOf('@');
  const credentials = at === -1 ? undefined : rest.slice(0, at);
  const [hostsPart = '', pathPart = ''] = (at === -1 ? rest : rest.slice(at + 1)).split(/\/(.*)/s);
  const password = credentials === undefined ? undefined : decodeURIComponent(credentials.slice(credentials.indexOf(':') + 1));
  const hosts = hostsPart.split(',').map((entry) => hostPort(entry, url));
  if (hosts.length === 0) throw new RedisUrlError(`REDIS_URL: no host in "${url}"`);
  if (scheme === 'redis+cluster') return { mode: 'cluster', nodes: hosts, ...(password === undefined ? {} : { password }) };
  const [name = '', query = ''] = pathPart.split('?');
  if (name === '') throw new RedisUrlError('REDIS_URL: redis+sentinel:// needs the master name as its path: redis+sentinel://host:26379/mymaster');
  const db = new URLSearchParams(query).get('db');
  return { mode: 'sentinel', sentinels: hosts, name, ...(password === undefined ? {} : { password }), ...(db === null ? {} : { db: Number(db) }) };
}

function hostPort(entry: string, url: string): HostPort {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
  if (!match) throw new RedisUrlError(`REDIS_URL: "${entry}" in "${url}" is not host:port`);
  return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

/**
 * One ioredis connection for `REDIS_URL`, whatever its mode. The options are those of a single
 * connection; for a cluster, the ones that belong to the cluster client (offline queue, lazy
 * connect, retry strategy) are moved there. A Cluster client answers the same commands, so
 * callers hold it as `Redis`; what they do must keep every multi-key command in one hash slot
 * (see `hashTagged`).
 */
export function connectRedis(url: string, options: RedisOptions): Redis {
  const target = parseRedisUrl(url);
  // Loaded on first use: a gateway without REDIS_URL never needs ioredis (~5 MB of heap).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Redis, Cluster } = require('ioredis') as typeof import('ioredis');
  if (target.mode === 'single') return new Redis(url, options);
  if (target.mode === 'sentinel') {
    return new Redis({
      ...options,
      sentinels: target.sentinels.map((s) => ({ host: s.host, port: s.port })),
      name: target.name,
      ...(target.password === undefined ? {} : { password: target.password }),
      ...(target.db === undefined ? {} : { db: target.db }),
    });
  }
  const { enableOfflineQueue, lazyConnect, retryStrategy, ...nodeOptions } = options;
  const cluster = new Cluster(
    target.nodes.map((n) => ({ host: n.host, port: n.port })),
    {
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      ...(lazyConnect === undefined ? {} : { lazyConnect }),
      ...(retryStrategy === undefined ? {} : { clusterRetryStrategy: (times: number) => retryStrategy?.(times) ?? null }),
      redisOptions: { ...nodeOptions, ...(target.password === undefined ? {} : { password: target.password }) },
    },
  );
  return cluster as unknown as Redis;
}

/** Whether multi-key commands need hash tags (`{…}`) to keep their keys in one slot. */
export function isClusterUrl(url: string): boolean {
  return parseRedisUrl(url).mode === 'cluster';
}

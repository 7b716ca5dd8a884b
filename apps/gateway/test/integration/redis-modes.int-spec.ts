import Redis, { Cluster } from 'ioredis';
import { RedisConfigStore, type StoreLogger } from '@turnout/config-store';
import { startRedisCluster, startRedisSentinel, writeTempConfig, type RedisGroup } from '@turnout/testing';
import { RedisRateLimiter } from '@turnout/access';
import { RedisAffinityStore, RedisInflightCounter } from '@turnout/routing';

/**
 * REDIS_URL beyond one node (issue 18 item 9): everything the gateway keeps in Redis (config
 * store with its scripts and pub/sub reload, key rate limits, session affinity, in-flight
 * counts) on a real three-node Redis Cluster, and the config store through Sentinel.
 */
jest.setTimeout(60_000);

const SEED = writeTempConfig('providers:\n  - { id: a, kind: llama-cpp, base_url: "http://seed:8080" }\nroutes:\n  - { match: "*", provider: a }\n');
const quiet = (): StoreLogger & { warnings: string[] } => {
  const warnings: string[] = [];
  return { warnings, log: () => undefined, warn: (message) => warnings.push(message) };
};
const doc = (baseUrl: string) => ({ providers: [{ id: 'a', kind: 'llama-cpp', base_url: baseUrl }], routes: [{ match: '*', provider: 'a' }] });
const closers: Array<() => Promise<void>> = [];

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${what} did not happen within 10 s`);
}

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('on a three-node Redis Cluster', () => {
  let cluster: RedisGroup;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('the config store seeds once, writes with compare-and-set, and a change reaches the other replica by pub/sub', async () => {
    const stores = [0, 1].map(() => new RedisConfigStore({ url: cluster.url, seedFile: SEED, pollIntervalMs: 60_000, logger: quiet() }));
    closers.push(...stores.map((store) => () => store.close()));
    const [a, b] = stores as [RedisConfigStore, RedisConfigStore];
    await Promise.all([a.start(), b.start()]);
    expect([a.current().revision, b.current().revision]).toEqual([1, 1]);
    await a.replace(doc('http://changed:8080'), 1, 'test');
    await eventually(() => b.current().config.providers[0]?.baseUrl === 'http://changed:8080', 'the change reaching the other replica');
    expect(b.current().revision).toBe(2);
    await expect(b.replace(doc('http://stale:8080'), 1, 'test')).rejects.toMatchObject({ kind: 'conflict' });
    expect(b.stats().redisConnected).toBe(true);
    // The script's keys share one hash slot (hash tag), the only way a cluster runs it.
    const raw = new Cluster([{ host: '127.0.0.1', port: Number(/:(\d+)/.exec(cluster.url)?.[1]) }]);
    closers.push(async () => void raw.disconnect());
    expect(await raw.exists('{turnout}:config', '{turnout}:config:revision')).toBe(2);
  });

  it('key rate limits hold across two gateways', async () => {
    const limiters = [0, 1].map(() => new RedisRateLimiter(cluster.url, () => undefined));
    closers.push(...limiters.map((limiter) => () => limiter.close()));
    const [a, b] = limiters as [RedisRateLimiter, RedisRateLimiter];
    const limits = { requestsPerMinute: 2, tokensPerMinute: undefined };
    // Limits fail open while Redis is not connected yet: wait until each limiter refuses for real.
    for (const limiter of [a, b]) {
      await eventually(async () => !(await limiter.admit('warmup', { requestsPerMinute: 1, tokensPerMinute: undefined })).ok, 'the limiter counting in Redis');
    }
    expect((await a.admit('alice', limits)).ok).toBe(true);
    expect((await b.admit('alice', limits)).ok).toBe(true);
    expect(await a.admit('alice', limits)).toMatchObject({ ok: false, what: 'requests' });
    expect((await b.admit('bob', limits)).ok).toBe(true);
  });

  it('session affinity and in-flight counts are shared', async () => {
    const [affinityA, affinityB] = [new RedisAffinityStore(cluster.url), new RedisAffinityStore(cluster.url)];
    const [countA, countB] = [new RedisInflightCounter(cluster.url), new RedisInflightCounter(cluster.url)];
    closers.push(() => affinityA.close(), () => affinityB.close(), () => countA.close(), () => countB.close());
    await eventually(async () => {
      await affinityA.set('session-1', 2);
      return (await affinityB.get('session-1')) === 2;
    }, 'affinity written by one gateway read by the other');
    // Increments are fire-and-forget and dropped while not connected: wait until both are.
    await eventually(async () => {
      countA.started('warm');
      await new Promise((resolve) => setTimeout(resolve, 25));
      return ((await countB.counts(['warm']))[0] ?? 0) > 0;
    }, 'both counters connected');
    // Counters of several providers (several keys) read with one MGET: one hash slot.
    countA.started('p1');
    countA.started('p2');
    countA.started('p2');
    await eventually(async () => JSON.stringify(await countB.counts(['p1', 'p2', 'p3'])) === '[1,2,0]', 'in-flight counts [1,2,0] seen by the other gateway');
    countA.ended('p2');
    await eventually(async () => JSON.stringify(await countB.counts(['p1', 'p2', 'p3'])) === '[1,1,0]', 'an ended request counted down');
  });
});

describe('through Redis Sentinel', () => {
  let sentinel: RedisGroup & { masterPort: number };
  beforeAll(async () => {
    sentinel = await startRedisSentinel();
  });
  afterAll(async () => {
    await sentinel?.stop();
  });

  it('the config store finds the master by its name and keeps the config there', async () => {
    const store = new RedisConfigStore({ url: sentinel.url, seedFile: SEED, pollIntervalMs: 60_000, logger: quiet() });
    closers.push(() => store.close());
    await store.start();
    expect(store.current().revision).toBe(1);
    await store.replace(doc('http://via-sentinel:8080'), 1, 'test');
    const master = new Redis(sentinel.masterPort, '127.0.0.1');
    closers.push(async () => void master.disconnect());
    expect(JSON.parse((await master.get('turnout:config')) ?? '{}')).toMatchObject({ revision: 2, config: doc('http://via-sentinel:8080') });
  });
});

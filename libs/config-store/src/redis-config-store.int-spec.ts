import Redis from 'ioredis';
import { startRedisServer, writeTempConfig, type RedisServer } from '@turnout/testing';
import type { StoreLogger } from './config-store';
import { RedisConfigStore, type RedisConfigStoreOptions } from './redis-config-store';

jest.setTimeout(30_000);

const doc = (baseUrl: string) => ({ providers: [{ id: 'a', kind: 'llama-cpp', base_url: baseUrl }], routes: [{ match: '*', provider: 'a' }] });
const SEED = writeTempConfig(`providers:
  - { id: a, kind: llama-cpp, base_url: "http://seed:8080" }
routes:
  - { match: "*", provider: a }
`);

let redis: RedisServer;
let prefixCounter = 0;
const stores: RedisConfigStore[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

function quietLogger(): StoreLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, log: () => undefined, warn: (message) => warnings.push(message) };
}

function newStore(options: Partial<RedisConfigStoreOptions> & { keyPrefix: string }): RedisConfigStore {
  const store = new RedisConfigStore({ url: redis.url, seedFile: SEED, pollIntervalMs: 60_000, logger: quietLogger(), ...options });
  stores.push(store);
  return store;
}

const freshPrefix = () => `t${++prefixCounter}:`;

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

describe('RedisConfigStore', () => {
  it('seeds an empty Redis from the file exactly once when two replicas start together', async () => {
    const keyPrefix = freshPrefix();
    const [a, b] = [newStore({ keyPrefix }), newStore({ keyPrefix })];
    await Promise.all([a.start(), b.start()]);
    expect(a.current().revision).toBe(1);
    expect(b.current().revision).toBe(1);
    expect(a.current().config.providers[0]?.baseUrl).toBe('http://seed:8080');
    const raw = new Redis(redis.url);
    expect(await raw.llen(`${keyPrefix}config:history`)).toBe(0);
    raw.disconnect();
    expect(a.readiness()).toMatchObject({ ready: true, source: 'redis' });
  });

  it('a write on one replica reaches the other through the change notice', async () => {
    const keyPrefix = freshPrefix();
    const [writer, reader] = [newStore({ keyPrefix }), newStore({ keyPrefix })];
    await writer.start();
    await reader.start();
    const seen: number[] = [];
    reader.onChange((snapshot) => seen.push(snapshot.revision));
    const written = await writer.replace(doc('http://new:8080'), 1, 'test');
    expect(written.revision).toBe(2);
    expect(written.document.updated_by).toBe('test');
    // Poll is 60 s here: only the pub/sub notice can make this happen in time.
    await eventually(() => reader.current().revision === 2, 'the reader picking up revision 2');
    expect(reader.current().config.providers[0]?.baseUrl).toBe('http://new:8080');
    expect(seen).toEqual([2]);
  });

  it('a stale revision is a conflict naming the current one, and nothing is written', async () => {
    const keyPrefix = freshPrefix();
    const store = newStore({ keyPrefix });
    await store.start();
    await store.replace(doc('http://two:8080'), 1);
    await expect(store.replace(doc('http://stale:8080'), 1)).rejects.toMatchObject({ kind: 'conflict', currentRevision: 2 });
    expect(store.current().config.providers[0]?.baseUrl).toBe('http://two:8080');
  });

  it('two concurrent writers with the same expected revision: exactly one wins', async () => {
    const keyPrefix = freshPrefix();
    const [a, b] = [newStore({ keyPrefix }), newStore({ keyPrefix })];
    await Promise.all([a.start(), b.start()]);
    const results = await Promise.allSettled([a.replace(doc('http://a:1'), 1), b.replace(doc('http://b:1'), 1)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('an invalid write is refused with the field named, and the old config stays', async () => {
    const keyPrefix = freshPrefix();
    const store = newStore({ keyPrefix });
    await store.start();
    await expect(store.replace({ providers: [{ id: 'a', kind: 'nope', base_url: 'http://x' }], routes: [] }, 1)).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('providers[0].kind'),
    });
    expect(store.current().revision).toBe(1);
  });

  it('an invalid document written straight into Redis is rejected on reload, counted, and the last good one serves', async () => {
    const keyPrefix = freshPrefix();
    const logger = quietLogger();
    const store = newStore({ keyPrefix, logger });
    await store.start();
    const raw = new Redis(redis.url);
    await raw.set(`${keyPrefix}config`, JSON.stringify({ schema_version: 1, revision: 5, updated_at: 'x', config: { providers: 'oops', routes: [] } }));
    await raw.publish(`${keyPrefix}config:changed`, '5');
    raw.disconnect();
    await eventually(() => store.stats().rejected === 1, 'the bad document being rejected');
    expect(store.current().revision).toBe(1);
    expect(logger.warnings.join('\n')).toContain('stored revision 5 rejected, keeping revision 1');
  });

  it('history lists revisions newest first, and rollback makes an old content live as a new revision', async () => {
    const keyPrefix = freshPrefix();
    const store = newStore({ keyPrefix });
    await store.start();
    await store.replace(doc('http://two:8080'), 1);
    await store.replace(doc('http://three:8080'), 2);
    expect((await store.history(10)).map((d) => d.revision)).toEqual([3, 2, 1]);
    const rolled = await store.rollback(2, 'ops');
    expect(rolled.revision).toBe(4);
    expect(rolled.config.providers[0]?.baseUrl).toBe('http://two:8080');
    await expect(store.rollback(99)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('the stored config keeps empty lists and key order as written (no cjson re-encoding)', async () => {
    const keyPrefix = freshPrefix();
    const store = newStore({ keyPrefix });
    await store.start();
    const config = { routes: [], providers: [{ base_url: 'http://z:1', kind: 'llama-cpp', id: 'a', betas: { deny: [] } }] };
    await store.replace(config, 1);
    const raw = new Redis(redis.url);
    const text = (await raw.get(`${keyPrefix}config`)) as string;
    raw.disconnect();
    expect(text).toContain(JSON.stringify(config));
  });
});

describe('RedisConfigStore when Redis fails', () => {
  let own: RedisServer;
  beforeEach(async () => {
    own = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await own.stop();
  });

  it('keeps serving when Redis dies, fails writes at once, says so, restores itself into the emptied Redis, and writes again', async () => {
    const keyPrefix = freshPrefix();
    const store = new RedisConfigStore({ url: own.url, keyPrefix, seedFile: SEED, pollIntervalMs: 200, logger: quietLogger() });
    stores.push(store);
    await store.start();
    await own.kill();
    await eventually(() => /disconnected since/.test(store.readiness().detail), 'readiness reporting the lost connection');
    expect(store.current().revision).toBe(1);
    expect(store.readiness().ready).toBe(true);
    const started = Date.now();
    await expect(store.replace(doc('http://lost:1'), 1)).rejects.toMatchObject({ kind: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(2_000);

    await store.replace(doc('http://lost:1'), 1).catch(() => undefined);
    await own.restart(); // empty again: it keeps nothing on disk
    await eventually(() => !/disconnected/.test(store.readiness().detail), 'the store reconnecting');
    // The restarted Redis was empty: the store restored what it serves (not the older file).
    await eventually(async () => (await store.history(5)).length > 0, 'the restore');
    expect((await store.history(1))[0]).toMatchObject({ revision: 1, config: { providers: [{ base_url: 'http://seed:8080' }] } });
    await store.replace(doc('http://after:1'), 1);
    expect(store.current().config.providers[0]?.baseUrl).toBe('http://after:1');
  });

  it('a Redis that comes back empty gets the newest revision back, not the older file', async () => {
    const keyPrefix = freshPrefix();
    const store = new RedisConfigStore({ url: own.url, keyPrefix, seedFile: SEED, pollIntervalMs: 200, logger: quietLogger() });
    stores.push(store);
    await store.start();
    await store.replace(doc('http://newer:1'), 1);
    await store.replace(doc('http://newest:1'), 2);
    await own.restart();
    await eventually(async () => (await store.history(1).catch(() => []))[0]?.revision === 3, 'revision 3 restored');
    expect(store.current().config.providers[0]?.baseUrl).toBe('http://newest:1');
  });

  it('starts from the file when Redis is down at start, then switches to Redis when it comes up', async () => {
    const keyPrefix = freshPrefix();
    await own.stop();
    const store = new RedisConfigStore({ url: own.url, keyPrefix, seedFile: SEED, pollIntervalMs: 200, connectTimeoutMs: 500, logger: quietLogger() });
    stores.push(store);
    await store.start();
    expect(store.readiness()).toMatchObject({ ready: true, source: 'file' });
    expect(store.current().config.providers[0]?.baseUrl).toBe('http://seed:8080');
    await own.restart();
    await eventually(() => store.readiness().source === 'redis', 'the switch to redis');
    expect(store.current().revision).toBe(1);
  });

  it('after starting without Redis, it subscribes once Redis comes up: a later write arrives by notice', async () => {
    const keyPrefix = freshPrefix();
    await own.stop();
    const late = new RedisConfigStore({ url: own.url, keyPrefix, seedFile: SEED, pollIntervalMs: 60_000, connectTimeoutMs: 500, logger: quietLogger() });
    stores.push(late);
    await late.start();
    await own.restart();
    await eventually(() => late.readiness().source === 'redis', 'the switch to redis');
    const writer = new RedisConfigStore({ url: own.url, keyPrefix, seedFile: SEED, pollIntervalMs: 60_000, logger: quietLogger() });
    stores.push(writer);
    await writer.start();
    await writer.replace(doc('http://later:1'), 1);
    await eventually(() => late.current().revision === 2, 'the late store picking up revision 2 by notice');
  });

  it('without a file and without Redis it is not ready and says why', async () => {
    await own.stop();
    const store = new RedisConfigStore({ url: own.url, keyPrefix: freshPrefix(), connectTimeoutMs: 300, logger: quietLogger() });
    stores.push(store);
    await store.start();
    expect(store.readiness().ready).toBe(false);
    expect(() => store.current()).toThrow(/redis is unreachable/);
  });
});

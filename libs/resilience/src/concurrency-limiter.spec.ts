import { GatewayError } from '@turnout/errors';
import { FakeClock, flush, seededRandom } from '../test/fake-clock';
import { ConcurrencyLimiter, type ConcurrencyLimiterOptions, type Release, type WaitOutcome } from './concurrency-limiter';

function setup(options: Partial<ConcurrencyLimiterOptions> = {}) {
  const clock = new FakeClock();
  const waits: Array<[number, WaitOutcome]> = [];
  const limiter = new ConcurrencyLimiter({
    maxInFlight: 2,
    maxQueue: 3,
    maxWaitMs: 5_000,
    label: 'provider llama',
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    onWait: (ms, outcome) => waits.push([ms, outcome]),
    ...options,
  });
  return { clock, limiter, waits };
}

const live = () => new AbortController().signal;

/** Tracks a pending acquire without awaiting it. */
function track(promise: Promise<Release>) {
  const state: { release?: Release; error?: GatewayError } = {};
  promise.then(
    (release) => (state.release = release),
    (error: GatewayError) => (state.error = error),
  );
  return state;
}

describe('ConcurrencyLimiter', () => {
  it('grants free slots at once, up to maxInFlight', async () => {
    const { limiter, waits } = setup();
    await limiter.acquire(live());
    await limiter.acquire(live());
    expect(limiter.inFlight).toBe(2);
    expect(limiter.queued).toBe(0);
    expect(waits).toEqual([
      [0, 'acquired'],
      [0, 'acquired'],
    ]);
  });

  it('queues past maxInFlight and serves waiters in FIFO order, one per release', async () => {
    const { limiter } = setup();
    const first = await limiter.acquire(live());
    const second = await limiter.acquire(live());
    const order: string[] = [];
    const a = limiter.acquire(live()).then((release) => (order.push('a'), release));
    const b = limiter.acquire(live()).then((release) => (order.push('b'), release));
    const c = limiter.acquire(live()).then((release) => (order.push('c'), release));
    expect(limiter.queued).toBe(3);
    first();
    await flush();
    expect(order).toEqual(['a']);
    second();
    await flush();
    expect(order).toEqual(['a', 'b']);
    (await a)();
    await flush();
    expect(order).toEqual(['a', 'b', 'c']);
    expect(limiter.inFlight).toBe(2);
    (await b)();
    (await c)();
    expect(limiter.inFlight).toBe(0);
  });

  it('a release hands the slot to the head of the queue: a newcomer cannot overtake', async () => {
    const { limiter } = setup({ maxInFlight: 1 });
    const held = await limiter.acquire(live());
    const waiter = track(limiter.acquire(live()));
    held();
    expect(limiter.inFlight).toBe(1); // already the waiter's, before its promise settles
    expect(limiter.queued).toBe(0);
    const newcomer = track(limiter.acquire(live()));
    await flush();
    expect(waiter.release).toBeDefined();
    expect(newcomer.release).toBeUndefined();
    expect(limiter.queued).toBe(1);
  });

  it('queue full: GW_QUEUE_FULL (529 overloaded_error) at once, with a retry-after', async () => {
    const { limiter, waits } = setup({ maxQueue: 1 });
    await limiter.acquire(live());
    await limiter.acquire(live());
    void limiter.acquire(live());
    const refused = limiter.acquire(live());
    await expect(refused).rejects.toMatchObject({
      code: 'GW_QUEUE_FULL',
      status: 529,
      anthropicType: 'overloaded_error',
      headers: { 'retry-after': '5' },
      message: 'all 2 slot(s) of provider llama are busy and its wait queue (1) is full',
    });
    expect(limiter.queued).toBe(1);
    expect(waits.at(-1)).toEqual([0, 'full']);
  });

  it('maxQueue 0: no waiting at all', async () => {
    const { limiter } = setup({ maxInFlight: 1, maxQueue: 0 });
    await limiter.acquire(live());
    await expect(limiter.acquire(live())).rejects.toMatchObject({ code: 'GW_QUEUE_FULL' });
  });

  it('wait limit: GW_QUEUE_TIMEOUT after maxWaitMs, and the waiter leaves the queue', async () => {
    const { clock, limiter, waits } = setup({ maxInFlight: 1 });
    const held = await limiter.acquire(live());
    const waiter = track(limiter.acquire(live()));
    clock.advance(4_999);
    await flush();
    expect(waiter.error).toBeUndefined();
    clock.advance(1);
    await flush();
    expect(waiter.error).toMatchObject({ code: 'GW_QUEUE_TIMEOUT', status: 529, headers: { 'retry-after': '5' } });
    expect(waiter.error?.message).toBe('no slot of provider llama came free within 5000 ms');
    expect(limiter.queued).toBe(0);
    expect(waits.at(-1)).toEqual([5_000, 'timeout']);
    held();
    expect(limiter.inFlight).toBe(0);
  });

  it('a waiter served in time has its timer cleared and its wait reported', async () => {
    const { clock, limiter, waits } = setup({ maxInFlight: 1 });
    const held = await limiter.acquire(live());
    const waiter = limiter.acquire(live());
    clock.advance(1_200);
    held();
    await waiter;
    expect(clock.timerCount).toBe(0);
    expect(waits.at(-1)).toEqual([1_200, 'acquired']);
  });

  it('abort while queued: rejected with GW_CLIENT_ABORTED at once, removed, and skipped by the next release', async () => {
    const { clock, limiter, waits } = setup({ maxInFlight: 1 });
    const held = await limiter.acquire(live());
    const leaving = new AbortController();
    const gone = track(limiter.acquire(leaving.signal));
    const next = track(limiter.acquire(live()));
    clock.advance(300);
    leaving.abort();
    expect(limiter.queued).toBe(1);
    await flush();
    expect(gone.error).toMatchObject({ code: 'GW_CLIENT_ABORTED' });
    expect(waits.at(-1)).toEqual([300, 'aborted']);
    expect(clock.timerCount).toBe(1); // only the remaining waiter's
    held();
    await flush();
    expect(next.release).toBeDefined();
    expect(limiter.inFlight).toBe(1);
  });

  it('abort with a GatewayError reason rejects with that reason', async () => {
    const { limiter } = setup({ maxInFlight: 1 });
    await limiter.acquire(live());
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const reason = new GatewayError('GW_SHUTTING_DOWN');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it('an already aborted signal is refused without taking a slot', async () => {
    const { limiter, waits } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(limiter.acquire(controller.signal)).rejects.toMatchObject({ code: 'GW_CLIENT_ABORTED' });
    expect(limiter.inFlight).toBe(0);
    expect(waits).toEqual([[0, 'aborted']]);
  });

  it('an abort after the slot was granted is the holder’s business: the slot stays until release', async () => {
    const { limiter } = setup({ maxInFlight: 1 });
    const controller = new AbortController();
    const release = await limiter.acquire(controller.signal);
    controller.abort();
    expect(limiter.inFlight).toBe(1);
    release();
    expect(limiter.inFlight).toBe(0);
  });

  it('release is idempotent: a second call frees nothing and wakes nobody', async () => {
    const { limiter } = setup({ maxInFlight: 1 });
    const release = await limiter.acquire(live());
    const a = track(limiter.acquire(live()));
    const b = track(limiter.acquire(live()));
    release();
    release();
    await flush();
    expect(a.release).toBeDefined();
    expect(b.release).toBeUndefined();
    expect(limiter.inFlight).toBe(1);
    a.release?.();
    a.release?.();
    await flush();
    expect(b.release).toBeDefined();
    b.release?.();
    b.release?.();
    expect(limiter.inFlight).toBe(0);
  });

  it('onChange reports every change of inFlight and queued', async () => {
    const changes: Array<[number, number]> = [];
    const { limiter } = setup({ maxInFlight: 1, onChange: ({ inFlight, queued }) => changes.push([inFlight, queued]) });
    const held = await limiter.acquire(live());
    const waiter = limiter.acquire(live());
    held();
    (await waiter)();
    expect(changes).toEqual([
      [1, 0],
      [1, 1],
      [1, 0],
      [0, 0],
    ]);
  });

  it('retry-after follows the average slot hold time once there is one (min 1 s, max 60 s)', async () => {
    const { clock, limiter } = setup({ maxInFlight: 1, maxQueue: 2, maxWaitMs: 100_000 });
    const first = await limiter.acquire(live());
    clock.advance(4_000);
    first(); // average hold: 4 s
    await limiter.acquire(live());
    void limiter.acquire(live());
    void limiter.acquire(live());
    // Two waiting ahead, one slot, 4 s each: the newcomer's turn is about 12 s away.
    await expect(limiter.acquire(live())).rejects.toMatchObject({ headers: { 'retry-after': '12' } });

    const fast = setup({ maxInFlight: 4, maxQueue: 0, maxWaitMs: 100_000 });
    const quick = await fast.limiter.acquire(live());
    fast.clock.advance(10);
    quick();
    for (let i = 0; i < 4; i += 1) await fast.limiter.acquire(live());
    await expect(fast.limiter.acquire(live())).rejects.toMatchObject({ headers: { 'retry-after': '1' } });

    const slow = setup({ maxInFlight: 1, maxQueue: 0 });
    const long = await slow.limiter.acquire(live());
    slow.clock.advance(600_000);
    long();
    await slow.limiter.acquire(live());
    await expect(slow.limiter.acquire(live())).rejects.toMatchObject({ headers: { 'retry-after': '60' } });
  });

  it('retry-after before any sample: the wait limit in seconds, at least 1', async () => {
    const { limiter } = setup({ maxInFlight: 1, maxQueue: 0, maxWaitMs: 200 });
    await limiter.acquire(live());
    await expect(limiter.acquire(live())).rejects.toMatchObject({ headers: { 'retry-after': '1' } });
  });

  it.each([{ maxInFlight: 0 }, { maxInFlight: 1.5 }, { maxQueue: -1 }, { maxWaitMs: -1 }, { maxWaitMs: Number.NaN }])('rejects %j', (bad) => {
    expect(() => new ConcurrencyLimiter({ maxInFlight: 1, maxQueue: 1, maxWaitMs: 1, ...bad })).toThrow(RangeError);
  });

  it('randomized: never more than maxInFlight held, FIFO among waiters that stayed, books balance', async () => {
    let queuedGrantsSeen = 0;
    let removalsSeen = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const random = seededRandom(seed);
      const maxInFlight = 1 + Math.floor(random() * 4);
      const { clock, limiter } = setup({ maxInFlight, maxQueue: Math.floor(random() * 6), maxWaitMs: 1_000 });
      const held: Release[] = [];
      const queued: Array<{ id: number; controller: AbortController }> = [];
      const granted: number[] = [];
      const removed = new Set<number>();
      let enqueueOrder: number[] = [];
      let nextId = 0;

      for (let step = 0; step < 400; step += 1) {
        const roll = random();
        if (roll < 0.45) {
          const id = nextId++;
          const controller = new AbortController();
          const wasQueuedBefore = limiter.queued;
          const free = limiter.inFlight < maxInFlight && limiter.queued === 0;
          limiter.acquire(controller.signal).then(
            (release) => {
              granted.push(id);
              held.push(release);
            },
            () => removed.add(id),
          );
          if (!free && limiter.queued > wasQueuedBefore) {
            queued.push({ id, controller });
            enqueueOrder.push(id);
          }
        } else if (roll < 0.8 && held.length > 0) {
          const [release] = held.splice(Math.floor(random() * held.length), 1);
          release();
          if (random() < 0.2) release(); // idempotence under load
        } else if (roll < 0.9 && queued.length > 0) {
          queued.splice(Math.floor(random() * queued.length), 1)[0].controller.abort();
        } else {
          clock.advance(Math.floor(random() * 400));
        }
        await flush();
        expect(limiter.inFlight).toBeLessThanOrEqual(maxInFlight);
        expect(limiter.inFlight).toBe(held.length);
      }
      // Grants to queued requests came in enqueue order, skipping those that left the queue.
      enqueueOrder = enqueueOrder.filter((id) => !removed.has(id));
      const queuedGrants = granted.filter((id) => enqueueOrder.includes(id));
      expect(queuedGrants).toEqual(enqueueOrder.slice(0, queuedGrants.length));
      queuedGrantsSeen += queuedGrants.length;
      // Drain: everything still queued is served or times out; then all slots come back.
      for (let i = 0; i < 50 && (held.length > 0 || limiter.queued > 0); i += 1) {
        held.splice(0).forEach((release) => release());
        clock.advance(1_000);
        await flush();
      }
      expect(limiter.inFlight).toBe(0);
      expect(limiter.queued).toBe(0);
      expect(clock.timerCount).toBe(0);
      removalsSeen += removed.size;
    }
    // The sequence really exercised queueing, refusals, timeouts and aborts.
    expect(queuedGrantsSeen).toBeGreaterThan(20);
    expect(removalsSeen).toBeGreaterThan(20);
  });
});

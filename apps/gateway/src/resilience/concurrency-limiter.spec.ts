import { ConcurrencyLimiter } from './concurrency-limiter';

const never = () => new AbortController().signal;

describe('ConcurrencyLimiter', () => {
  it('grants up to max_in_flight at once, then queues FIFO and hands slots over in order', async () => {
    const limiter = new ConcurrencyLimiter({ maxInFlight: 2, maxQueue: 5, maxWaitMs: 10_000 });
    const first = await limiter.acquire(never());
    await limiter.acquire(never());
    const order: number[] = [];
    const third = limiter.acquire(never()).then((release) => (order.push(3), release));
    const fourth = limiter.acquire(never()).then((release) => (order.push(4), release));
    expect(limiter.queued).toBe(2);
    first();
    first(); // idempotent: frees one slot, not two
    (await third)();
    await fourth;
    expect(order).toEqual([3, 4]);
    expect(limiter.inFlight).toBe(2);
  });

  it('a full queue is an immediate 529 with retry-after', async () => {
    const limiter = new ConcurrencyLimiter({ maxInFlight: 1, maxQueue: 0, maxWaitMs: 3_000 });
    await limiter.acquire(never());
    await expect(limiter.acquire(never())).rejects.toMatchObject({ code: 'GW_QUEUE_FULL', status: 529, headers: { 'retry-after': '3' } });
  });

  it('a wait past max_wait_ms is a 529 and leaves the queue', async () => {
    const limiter = new ConcurrencyLimiter({ maxInFlight: 1, maxQueue: 1, maxWaitMs: 20 });
    await limiter.acquire(never());
    await expect(limiter.acquire(never())).rejects.toMatchObject({ code: 'GW_QUEUE_TIMEOUT', status: 529 });
    expect(limiter.queued).toBe(0);
  });

  it('a client that leaves while queued is dropped at once and never gets the slot', async () => {
    const limiter = new ConcurrencyLimiter({ maxInFlight: 1, maxQueue: 1, maxWaitMs: 10_000 });
    const held = await limiter.acquire(never());
    const controller = new AbortController();
    const queued = limiter.acquire(controller.signal);
    controller.abort();
    await expect(queued).rejects.toMatchObject({ code: 'GW_CLIENT_ABORTED' });
    expect(limiter.queued).toBe(0);
    held();
    expect(limiter.inFlight).toBe(0);
  });

  it('never exceeds max_in_flight under a random mix of acquires and releases', async () => {
    const limiter = new ConcurrencyLimiter({ maxInFlight: 3, maxQueue: 1_000, maxWaitMs: 60_000 });
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const held: Array<() => void> = [];
    let peak = 0;
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      if (random() < 0.6) pending.push(limiter.acquire(never()).then((release) => void held.push(release)));
      else held.splice(Math.floor(random() * held.length), 1)[0]?.();
      await Promise.resolve();
      peak = Math.max(peak, limiter.inFlight);
    }
    expect(peak).toBeLessThanOrEqual(3);
    while (held.length > 0 || limiter.queued > 0) {
      held.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    expect(limiter.inFlight).toBe(0);
  });
});

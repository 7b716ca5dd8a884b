import type { TimerHandle, Timers } from '../src/timers';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A hand-moved clock with timers: `advance(ms)` runs every timer due by then, in due order,
 * moving `now()` to each one's time first. Tests assert behaviour at chosen instants and never sleep.
 */
export class FakeClock implements Timers {
  private time: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(start = 1_000_000) {
    this.time = start;
  }

  readonly now = (): number => this.time;

  readonly setTimer = (callback: () => void, ms: number): TimerHandle => {
    const timer: Pending = { id: this.nextId++, at: this.time + Math.max(0, ms), callback };
    this.pending.push(timer);
    return timer.id;
  };

  readonly clearTimer = (handle: TimerHandle): void => {
    this.pending = this.pending.filter((timer) => timer.id !== handle);
  };

  get timerCount(): number {
    return this.pending.length;
  }

  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.pending.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((timer) => timer !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = target;
  }
}

/** Lets promise callbacks run (settled promises resolve in microtasks). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

/** mulberry32: a small seeded generator, so "random" sequences repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

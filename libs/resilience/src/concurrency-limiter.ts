import { GatewayError } from '@turnout/errors';
import { abortError } from './abort-error';
import { HoldTimeEstimate } from './hold-time-estimate';
import { systemTimers, type TimerHandle, type Timers } from './timers';
import { withDefaults } from './with-defaults';

/** Frees the slot; calling it again does nothing. */
export type Release = () => void;

/** How one `acquire` ended, for the wait-time histogram. `full`: refused without waiting. */
export type WaitOutcome = 'acquired' | 'full' | 'timeout' | 'aborted';

export interface LimiterStats {
  readonly inFlight: number;
  readonly queued: number;
}

export interface ConcurrencyLimiterOptions extends Partial<Timers> {
  /** Requests sent to the upstream at once (a local server's slots). */
  readonly maxInFlight: number;
  /** Requests waiting for a slot; past it, GW_QUEUE_FULL at once. 0: no queue. */
  readonly maxQueue: number;
  /** Longest wait for a slot; past it, GW_QUEUE_TIMEOUT. */
  readonly maxWaitMs: number;
  /** Named in client messages ("provider llama"). */
  readonly label?: string;
  /** Any monotonic ms clock; measures waits and slot hold times. */
  readonly now?: () => number;
  /** Once per `acquire`, when it settles: how long it waited (0 when a slot was free or the queue full). */
  readonly onWait?: (waitedMs: number, outcome: WaitOutcome) => void;
  /** After every change of `inFlight` or `queued`: the queue-depth gauge. */
  readonly onChange?: (stats: LimiterStats) => void;
}

interface Waiter {
  readonly grant: () => void;
}

/**
 * One upstream's slots: at most `maxInFlight` requests at once and up to `maxQueue` more
 * waiting, first come first served, for at most `maxWaitMs`. Past the queue or the wait the
 * client gets 529 overloaded_error (GW_QUEUE_FULL, GW_QUEUE_TIMEOUT) with a `retry-after`
 * hint, so the SDK backs off instead of piling onto a server that is already full. A waiter
 * whose signal aborts leaves the queue at once, so a client that hung up never takes a slot.
 *
 * A release hands its slot straight to the head of the queue (inFlight does not drop), all
 * synchronously: a newcomer can never overtake a waiter between a release and its wake-up.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  private readonly options: Required<Omit<ConcurrencyLimiterOptions, 'onWait' | 'onChange'>> & ConcurrencyLimiterOptions;
  private readonly holdTimes: HoldTimeEstimate;

  constructor(options: ConcurrencyLimiterOptions) {
    const merged = withDefaults({ label: 'the upstream', now: () => performance.now(), ...systemTimers }, options);
    if (!Number.isInteger(merged.maxInFlight) || merged.maxInFlight < 1) throw new RangeError(`maxInFlight must be an integer >= 1, got ${merged.maxInFlight}`);
    if (!Number.isInteger(merged.maxQueue) || merged.maxQueue < 0) throw new RangeError(`maxQueue must be an integer >= 0, got ${merged.maxQueue}`);
    if (!Number.isFinite(merged.maxWaitMs) || merged.maxWaitMs < 0) throw new RangeError(`maxWaitMs must be a finite number >= 0, got ${merged.maxWaitMs}`);
    this.options = Object.freeze(merged);
    this.holdTimes = new HoldTimeEstimate(merged.maxWaitMs);
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /**
   * A slot, now or after a FIFO wait. Rejects with GW_QUEUE_FULL (queue full, at once),
   * GW_QUEUE_TIMEOUT (no slot within maxWaitMs), or the abort error of `signal` (its
   * GatewayError reason, else GW_CLIENT_ABORTED) as soon as it aborts while waiting.
   */
  acquire(signal: AbortSignal): Promise<Release> {
    if (signal.aborted) {
      this.options.onWait?.(0, 'aborted');
      return Promise.reject<Release>(abortError(signal));
    }
    // A free slot goes to the queue's head first; a newcomer takes one only when nobody waits.
    if (this.active < this.options.maxInFlight && this.waiters.length === 0) {
      this.active += 1;
      this.changed();
      this.options.onWait?.(0, 'acquired');
      return Promise.resolve(this.releaser());
    }
    if (this.waiters.length >= this.options.maxQueue) {
      this.options.onWait?.(0, 'full');
      return Promise.reject<Release>(this.refusal('GW_QUEUE_FULL'));
    }
    return this.enqueue(signal);
  }

  private enqueue(signal: AbortSignal): Promise<Release> {
    return new Promise<Release>((resolve, reject) => {
      const enqueuedAt = this.options.now();
      const leave = (outcome: WaitOutcome): void => {
        this.options.clearTimer(timer);
        signal.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        this.options.onWait?.(this.options.now() - enqueuedAt, outcome);
      };
      const waiter: Waiter = {
        grant: () => {
          leave('acquired');
          resolve(this.releaser());
        },
      };
      const onAbort = (): void => {
        leave('aborted');
        this.changed();
        reject(abortError(signal));
      };
      const timer: TimerHandle = this.options.setTimer(() => {
        leave('timeout');
        this.changed();
        reject(this.refusal('GW_QUEUE_TIMEOUT'));
      }, this.options.maxWaitMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.changed();
    });
  }

  private releaser(): Release {
    const acquiredAt = this.options.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holdTimes.record(this.options.now() - acquiredAt);
      const next = this.waiters[0];
      // The slot passes to the head of the queue: `active` stays the same.
      if (next) next.grant();
      else this.active -= 1;
      this.changed();
    };
  }

  private refusal(code: 'GW_QUEUE_FULL' | 'GW_QUEUE_TIMEOUT'): GatewayError {
    const { label, maxInFlight, maxQueue, maxWaitMs } = this.options;
    const message =
      code === 'GW_QUEUE_FULL'
        ? `all ${maxInFlight} slot(s) of ${label} are busy and its wait queue (${maxQueue}) is full`
        : `no slot of ${label} came free within ${maxWaitMs} ms`;
    const seconds = this.holdTimes.retryAfterSeconds(this.waiters.length, maxInFlight);
    return new GatewayError(code, { message, headers: { 'retry-after': String(seconds) } });
  }

  private changed(): void {
    this.options.onChange?.({ inFlight: this.active, queued: this.waiters.length });
  }
}

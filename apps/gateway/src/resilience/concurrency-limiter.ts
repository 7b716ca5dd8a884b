import { GatewayError } from '@turnout/errors';

export interface LimiterOptions {
  readonly maxInFlight: number;
  readonly maxQueue: number;
  readonly maxWaitMs: number;
}

/** Frees the slot; calling it twice frees it once. */
export type Release = () => void;

interface Waiter {
  readonly grant: (release: Release) => void;
  readonly fail: (error: GatewayError) => void;
}

/**
 * A provider's slots: at most `maxInFlight` requests at once, up to `maxQueue` more waiting in
 * FIFO order for at most `maxWaitMs`. Past the queue or the wait, 529 overloaded_error with a
 * `retry-after` hint; a waiter whose client leaves is dropped from the queue at once.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly options: LimiterOptions) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  acquire(signal: AbortSignal): Promise<Release> {
    if (signal.aborted) return Promise.reject(new GatewayError('GW_CLIENT_ABORTED'));
    if (this.active < this.options.maxInFlight) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiters.length >= this.options.maxQueue) {
      return Promise.reject(
        new GatewayError('GW_QUEUE_FULL', {
          message: `all ${this.options.maxInFlight} slot(s) of the upstream are busy and its wait queue (${this.options.maxQueue}) is full`,
          headers: { 'retry-after': String(this.retryAfterSeconds()) },
        }),
      );
    }
    return new Promise<Release>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        grant: (release) => {
          leave();
          resolve(release);
        },
        fail: (error) => {
          leave();
          reject(error);
        },
      };
      const onAbort = () => waiter.fail(new GatewayError('GW_CLIENT_ABORTED'));
      const timer = setTimeout(
        () =>
          waiter.fail(
            new GatewayError('GW_QUEUE_TIMEOUT', {
              message: `no slot of the upstream came free within ${this.options.maxWaitMs} ms (wait queue)`,
              headers: { 'retry-after': String(this.retryAfterSeconds()) },
            }),
          ),
        this.options.maxWaitMs,
      );
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters[0];
      // The slot passes straight to the next waiter: `active` stays the same.
      if (next) next.grant(this.releaser());
      else this.active -= 1;
    };
  }

  /** A hint, not a promise: about one wait limit, at least a second. */
  private retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.options.maxWaitMs / 1000));
  }
}

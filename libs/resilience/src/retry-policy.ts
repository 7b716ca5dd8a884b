import { isRetryable, type GatewayError } from '@turnout/errors';
import { retryAfterMs } from './retry-after';
import { withDefaults } from './with-defaults';

export interface RetryPolicyOptions {
  /** Tries in all, the first included: 3 means at most two retries. */
  readonly maxAttempts: number;
  /** Backoff ceiling of the first retry; it doubles per attempt. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `retry-after` longer than this is not waited for: the client gets the error and its hint. */
  readonly maxRetryAfterMs: number;
  /** In [0, 1); injected so tests can pin the jitter. */
  readonly random?: () => number;
  /** Epoch ms; only used to turn a `retry-after` HTTP date into a delay. */
  readonly now?: () => number;
}

export const DEFAULT_RETRY_POLICY_OPTIONS = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
} satisfies RetryPolicyOptions);

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly reason: string };

/**
 * Bounded retries with full-jitter exponential backoff (every client retrying at the same
 * instant is what keeps a small local server overloaded), honouring the upstream's
 * `retry-after`. Pure: it decides, the caller sleeps (`sleep`) and sends again, and only while
 * nothing has been written to the client.
 */
export class RetryPolicy {
  private readonly options: Required<RetryPolicyOptions>;

  constructor(options: Partial<RetryPolicyOptions> = {}) {
    const merged: Required<RetryPolicyOptions> = withDefaults({ random: Math.random, now: Date.now, ...DEFAULT_RETRY_POLICY_OPTIONS }, options);
    if (!Number.isInteger(merged.maxAttempts) || merged.maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer >= 1, got ${merged.maxAttempts}`);
    for (const key of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
      if (!Number.isFinite(merged[key]) || merged[key] < 0) throw new RangeError(`${key} must be a finite number >= 0, got ${merged[key]}`);
    }
    this.options = Object.freeze(merged);
  }

  get maxAttempts(): number {
    return this.options.maxAttempts;
  }

  /** `attempt` is the 1-based number of the attempt that just failed with `failure`. */
  decide(failure: GatewayError, attempt: number): RetryDecision {
    if (!isRetryable(failure.code)) return { retry: false, reason: `${failure.code} is not retried` };
    if (failure.headers['x-should-retry'] === 'false') return { retry: false, reason: `${failure.code} would repeat (x-should-retry: false)` };
    if (attempt >= this.options.maxAttempts) return { retry: false, reason: `${attempt} of ${this.options.maxAttempts} attempts used` };
    const asked = retryAfterMs(failure.headers, this.options.now());
    if (asked !== undefined) {
      if (asked > this.options.maxRetryAfterMs) {
        return { retry: false, reason: `the upstream asked to wait ${asked} ms, more than the ${this.options.maxRetryAfterMs} ms the gateway waits` };
      }
      return { retry: true, delayMs: asked };
    }
    return { retry: true, delayMs: this.backoffMs(attempt) };
  }

  /** Full jitter: uniform in [0, min(max, base · 2^(attempt-1))). */
  private backoffMs(attempt: number): number {
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    const unit = Math.min(Math.max(this.options.random(), 0), 1);
    return Math.min(Math.floor(unit * ceiling), ceiling);
  }
}


import { GatewayError, type ErrorCode } from '@turnout/errors';

export interface RetryOptions {
  /** Tries in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `retry-after` longer than this is not waited for: the client gets the error and the hint. */
  readonly maxRetryAfterMs: number;
  readonly random?: () => number;
  readonly now?: () => number;
}

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly reason: string };

/**
 * Failures worth another try while nothing has reached the client: the upstream was not there,
 * was busy, or failed in a way that may pass (5xx, a connect or first-byte timeout). Never a
 * request the upstream judged wrong (4xx but 429), a broken response (it would repeat), a
 * client that left, or a failure marked `x-should-retry: false`.
 */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'GW_UPSTREAM_UNREACHABLE',
  'GW_UPSTREAM_CONNECT_TIMEOUT',
  'GW_UPSTREAM_FIRST_BYTE_TIMEOUT',
  'GW_UPSTREAM_TIMEOUT',
  'GW_UPSTREAM_RATE_LIMITED',
  'GW_UPSTREAM_OVERLOADED',
  'GW_UPSTREAM_ERROR',
]);

/** Bounded retries with full-jitter exponential backoff, honouring the upstream's `retry-after`. */
export class RetryPolicy {
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: RetryOptions) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  decide(failure: GatewayError, attempt: number): RetryDecision {
    if (attempt >= this.options.maxAttempts) return { retry: false, reason: `${attempt} attempt(s), the most allowed` };
    if (!RETRYABLE.has(failure.code)) return { retry: false, reason: `${failure.code} is not retried` };
    if (failure.headers['x-should-retry'] === 'false') return { retry: false, reason: 'the failure would repeat (x-should-retry: false)' };
    const asked = retryAfterMs(failure.headers, this.now());
    if (asked !== undefined) {
      if (asked > this.options.maxRetryAfterMs) return { retry: false, reason: `the upstream asked to wait ${Math.ceil(asked / 1000)} s` };
      return { retry: true, delayMs: asked };
    }
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
    return { retry: true, delayMs: Math.floor(this.random() * ceiling) };
  }
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Math.ceil(Number(ms));
  const value = headers['retry-after'];
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits, or rejects with GW_CLIENT_ABORTED as soon as the client leaves. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new GatewayError('GW_CLIENT_ABORTED'));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new GatewayError('GW_CLIENT_ABORTED'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

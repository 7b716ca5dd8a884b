import type { GatewayError } from '@turnout/errors';
import { abortError } from './abort-error';
import { systemTimers, type Timers } from './timers';

/**
 * Waits `ms` between two attempts, or rejects at once when `signal` aborts: a client that
 * leaves during the backoff stops the retries instead of costing one more upstream call.
 * Rejects with the signal's GatewayError reason if it has one, else GW_CLIENT_ABORTED.
 */
export function sleep(ms: number, signal: AbortSignal, timers: Timers = systemTimers): Promise<void> {
  if (signal.aborted) return Promise.reject<void>(abortError(signal));
  return new Promise<void>((resolve, reject: (error: GatewayError) => void) => {
    const onAbort = (): void => {
      timers.clearTimer(handle);
      reject(abortError(signal));
    };
    const handle = timers.setTimer(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

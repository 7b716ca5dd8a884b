import type { ExchangeTimings } from './request-context';

/**
 * Time a request spent neither in Turnout's own work nor in the upstream attempt that answered:
 * waiting for a provider slot, sleeping between retries, and the upstream time of attempts that
 * failed. `turnout_gateway_overhead_seconds` leaves it out (queue wait and back-off have their
 * own histograms), so a retry storm does not read as a slow gateway.
 */
export function addWaited(timings: ExchangeTimings, ms: number): void {
  timings.waitedMs = (timings.waitedMs ?? 0) + Math.max(0, ms);
}

/**
 * An attempt that will not be the answer (about to be retried, or a fallback target takes
 * over): its upstream span counts as waited, and the next attempt's span starts clean.
 */
export function closeFailedAttempt(timings: ExchangeTimings, now: number = performance.now()): void {
  if (timings.upstreamSentAt === undefined) return;
  addWaited(timings, (timings.upstreamEndedAt ?? now) - timings.upstreamSentAt);
  timings.upstreamSentAt = undefined;
  timings.upstreamEndedAt = undefined;
}

import type { UpstreamResponse } from '@turnout/providers';
import type { ProviderConfig } from '@turnout/routing';
import { timedBody, type ExchangeTimings } from '../http/request-context';
import { drainOnEarlyReturn } from '../resilience/drain-on-early-return';

/**
 * The upstream body as the forwarders read it: timed (for the overhead metric), drained if the
 * provider asks. `readAll` reads to the end by itself, so it needs no draining, only the timing.
 */
export function withUpstreamBody(response: UpstreamResponse, provider: ProviderConfig, timings: ExchangeTimings): UpstreamResponse {
  const body = provider.onDisconnect === 'drain' ? drainOnEarlyReturn(response.body) : response.body;
  return {
    ...response,
    body: timedBody(body, timings),
    readAll: async (maxBytes) => {
      try {
        return await response.readAll(maxBytes);
      } finally {
        timings.upstreamEndedAt = performance.now();
      }
    },
  };
}

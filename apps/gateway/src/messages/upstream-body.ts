import type { UpstreamResponse } from '@turnout/providers';
import type { ProviderConfig } from '@turnout/config';
import { timedBody, type ExchangeTimings } from '../http/request-context';
import { drainOnEarlyReturn } from '@turnout/resilience';

/** The upstream body as the forwarders read it: timed (for the overhead metric), drained if the provider asks. */
export function withUpstreamBody(response: UpstreamResponse, provider: ProviderConfig, timings: ExchangeTimings): UpstreamResponse {
  const body = provider.onDisconnect === 'drain' ? drainOnEarlyReturn(response.body) : response.body;
  return { ...response, body: timedBody(body, timings) };
}

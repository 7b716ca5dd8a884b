import { countsAgainstProvider, type GatewayError } from '@turnout/errors';

/**
 * What a failed request says about its provider's circuit, modelled on Envoy's outlier
 * detection: only upstream faults count (connect errors, timeouts, a broken reply, 5xx other
 * than 501: the error table's `breaker` column); a 4xx never does (it is the request's fault,
 * or a key problem the circuit cannot fix); a 429 is the upstream asking for a pause: a
 * back-off, not a failure. Turnout's own refusals (circuit open, queue full) and a client that
 * left say nothing.
 */
export function circuitVerdict(error: GatewayError): 'failure' | 'rate-limited' | 'neutral' {
  const status = error.upstreamStatus;
  if (status === 429 || error.code === 'GW_UPSTREAM_RATE_LIMITED') return 'rate-limited';
  if (status !== undefined) return status >= 500 && status !== 501 ? 'failure' : 'neutral';
  return countsAgainstProvider(error) ? 'failure' : 'neutral';
}

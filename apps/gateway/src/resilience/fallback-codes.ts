import type { ErrorCode, GatewayError } from '@turnout/errors';

/** Failures with no HTTP answer that are the upstream's fault: it could not be reached, was too slow, or broke its reply. */
const UPSTREAM_FAULT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'GW_UPSTREAM_UNREACHABLE',
  'GW_UPSTREAM_CONNECT_TIMEOUT',
  'GW_UPSTREAM_FIRST_BYTE_TIMEOUT',
  'GW_UPSTREAM_IDLE_TIMEOUT',
  'GW_UPSTREAM_TOTAL_TIMEOUT',
  'GW_UPSTREAM_TIMEOUT',
  'GW_UPSTREAM_PROTOCOL',
  'GW_UPSTREAM_STREAM_ENDED',
  'GW_UPSTREAM_ERROR',
]);

/**
 * Failures after which the next target of the route may be tried (nothing has reached the
 * client): the upstream is down, slow, overloaded, refused our key, does not have the model,
 * answered garbage, or Turnout's own circuit or queue for it said no. Not: a request the
 * upstream judged invalid (400, 413: the next one would judge it the same), or a client that left.
 */
const FALLBACK_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ...UPSTREAM_FAULT_CODES,
  'GW_UPSTREAM_OVERLOADED',
  'GW_UPSTREAM_RATE_LIMITED',
  'GW_UPSTREAM_AUTH',
  'GW_UPSTREAM_BILLING',
  'GW_UPSTREAM_MODEL_NOT_FOUND',
  'GW_CIRCUIT_OPEN',
  'GW_QUEUE_FULL',
  'GW_QUEUE_TIMEOUT',
]);

export function canFallBack(error: GatewayError): boolean {
  return FALLBACK_CODES.has(error.code);
}

/**
 * What a failed request says about its provider's circuit, modelled on Envoy's outlier
 * detection: only upstream faults count (connect errors, timeouts, a broken reply, 5xx other
 * than 501); a 4xx never does (it is the request's fault, or a key problem the circuit cannot
 * fix); a 429 is the upstream asking for a pause: a back-off, not a failure. Turnout's own
 * refusals (circuit open, queue full) and a client that left say nothing.
 */
export function circuitVerdict(error: GatewayError): 'failure' | 'rate-limited' | 'neutral' {
  const status = error.upstreamStatus;
  if (status === 429 || error.code === 'GW_UPSTREAM_RATE_LIMITED') return 'rate-limited';
  if (status !== undefined) return status >= 500 && status !== 501 ? 'failure' : 'neutral';
  return UPSTREAM_FAULT_CODES.has(error.code) || error.code === 'GW_UPSTREAM_OVERLOADED' ? 'failure' : 'neutral';
}

import type { ErrorCode, GatewayError } from '@turnout/errors';

/**
 * Failures after which the next target of the route may be tried (nothing has reached the
 * client): the upstream is down, slow, overloaded, refused our key, does not have the model,
 * answered garbage, or Turnout's own circuit or queue for it said no. Not: a request the
 * upstream judged invalid (400, 413: the next one would judge it the same), or a client that left.
 */
const FALLBACK_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'GW_UPSTREAM_UNREACHABLE',
  'GW_UPSTREAM_CONNECT_TIMEOUT',
  'GW_UPSTREAM_FIRST_BYTE_TIMEOUT',
  'GW_UPSTREAM_IDLE_TIMEOUT',
  'GW_UPSTREAM_TOTAL_TIMEOUT',
  'GW_UPSTREAM_TIMEOUT',
  'GW_UPSTREAM_OVERLOADED',
  'GW_UPSTREAM_RATE_LIMITED',
  'GW_UPSTREAM_ERROR',
  'GW_UPSTREAM_AUTH',
  'GW_UPSTREAM_BILLING',
  'GW_UPSTREAM_MODEL_NOT_FOUND',
  'GW_UPSTREAM_PROTOCOL',
  'GW_UPSTREAM_STREAM_ENDED',
  'GW_CIRCUIT_OPEN',
  'GW_QUEUE_FULL',
  'GW_QUEUE_TIMEOUT',
]);

export function canFallBack(error: GatewayError): boolean {
  return FALLBACK_CODES.has(error.code);
}

/** Failures that count against a provider's circuit: the upstream's fault, not the client's or ours. */
export function countsAgainstProvider(error: GatewayError): boolean {
  return FALLBACK_CODES.has(error.code) && error.code !== 'GW_CIRCUIT_OPEN' && error.code !== 'GW_QUEUE_FULL' && error.code !== 'GW_QUEUE_TIMEOUT' && error.code !== 'GW_UPSTREAM_MODEL_NOT_FOUND';
}

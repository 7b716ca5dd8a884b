import { ERROR_CODES, type ErrorCode, type ErrorOutcome } from './error-codes';
import type { GatewayError } from './gateway-error';

// Readers of the ERROR_CODES columns, so callers ask a question instead of picking a column.

/** Worth another try on the same upstream while nothing has reached the client. */
export function isRetryable(code: ErrorCode): boolean {
  return ERROR_CODES[code].retryable;
}

/** The route's next target may be tried after this failure. */
export function canFallBack(error: GatewayError): boolean {
  return ERROR_CODES[error.code].fallback;
}

/** The failure counts against the provider's circuit: the upstream's fault, not the client's or ours. */
export function countsAgainstProvider(error: GatewayError): boolean {
  return ERROR_CODES[error.code].breaker;
}

/** The request outcome (metric label, log field) of a request that failed with `code`. */
export function errorOutcome(code: ErrorCode): ErrorOutcome {
  return ERROR_CODES[code].outcome;
}

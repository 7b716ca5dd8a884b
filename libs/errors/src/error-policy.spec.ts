import { ERROR_CODES, type ErrorCode } from './error-codes';
import { canFallBack, countsAgainstProvider, errorOutcome, isRetryable } from './error-policy';
import { GatewayError } from './gateway-error';

const ALL = Object.keys(ERROR_CODES) as ErrorCode[];

describe('the error policy table', () => {
  it('records upstream codes as upstream errors, the client leaving as an abort, the rest by status', () => {
    for (const code of ALL) {
      const expected =
        code === 'GW_CLIENT_ABORTED' ? 'client_aborted' : code.startsWith('GW_UPSTREAM_') ? 'upstream_error' : ERROR_CODES[code].status < 500 ? 'client_error' : 'gateway_error';
      expect([code, errorOutcome(code)]).toEqual([code, expected]);
    }
  });

  it('retries and counts against the breaker only failures that also allow a fallback', () => {
    for (const code of ALL) {
      const error = new GatewayError(code);
      if (isRetryable(code) || countsAgainstProvider(error)) expect([code, canFallBack(error)]).toEqual([code, true]);
    }
  });

  it("never falls back, retries or blames the upstream for the client's own errors", () => {
    for (const code of ALL.filter((c) => errorOutcome(c) === 'client_error' || c === 'GW_CLIENT_ABORTED')) {
      const error = new GatewayError(code);
      expect([code, isRetryable(code), countsAgainstProvider(error), canFallBack(error)]).toEqual([code, false, false, false]);
    }
  });

  it("Turnout's own refusals fall back but do not count against the provider", () => {
    for (const code of ['GW_CIRCUIT_OPEN', 'GW_QUEUE_FULL', 'GW_QUEUE_TIMEOUT'] as const) {
      const error = new GatewayError(code);
      expect([canFallBack(error), countsAgainstProvider(error), isRetryable(code)]).toEqual([true, false, false]);
    }
  });
});

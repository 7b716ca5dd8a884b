import { GatewayError } from '@turnout/errors';

/**
 * The error to reject with when a wait is cut short by `signal`. A GatewayError given as the
 * abort reason is the app saying why (GW_SHUTTING_DOWN, a total timeout) and is kept, as
 * `classifyUpstreamFailure` keeps it; anything else means the client left.
 */
export function abortError(signal: AbortSignal): GatewayError {
  return GatewayError.is(signal.reason) ? signal.reason : new GatewayError('GW_CLIENT_ABORTED');
}

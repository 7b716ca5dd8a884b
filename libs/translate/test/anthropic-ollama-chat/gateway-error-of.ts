import { GatewayError } from '@turnout/errors';

/**
 * The GatewayError an action throws. Anything else (no error, another kind of error) fails the
 * test: a translator must fail with a typed error the gateway can render, never a bare Error.
 */
export function gatewayErrorOf(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError, nothing was thrown');
}

/** The same for an async action (decoding a body). */
export async function gatewayErrorOfAsync(action: () => Promise<unknown>): Promise<GatewayError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError, nothing was thrown');
}

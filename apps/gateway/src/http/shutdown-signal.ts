import { setMaxListeners } from 'node:events';
import { GatewayError } from '@turnout/errors';

/**
 * Aborted when a stopping gateway's grace period is over: every upstream call still running is
 * cancelled with GW_SHUTTING_DOWN, so each open stream ends with a proper `event: error`
 * (overloaded_error: clients such as Claude Code retry it, on another replica) instead of a
 * cut connection that looks like a network fault.
 */
export class ShutdownSignal {
  private readonly controller = new AbortController();

  constructor() {
    // Every upstream attempt in flight listens to it: hundreds at once is normal, not a leak.
    setMaxListeners(0, this.controller.signal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  endInFlight(): void {
    this.controller.abort(new GatewayError('GW_SHUTTING_DOWN'));
  }
}

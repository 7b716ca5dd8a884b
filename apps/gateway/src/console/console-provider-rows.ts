import type { TurnoutConfig } from '@turnout/config';
import type { ProviderGuardsSnapshot } from '@turnout/resilience';
import type { ProviderStatus } from '../providers/provider-registry';
import type { ProviderFailure } from './recent-requests';

/** One row of the console's providers page: the registry's probe facts plus the guards' live state. */
export interface ConsoleProviderRow extends ProviderStatus {
  readonly health: 'up' | 'down' | 'unknown';
  readonly circuit: ProviderGuardsSnapshot['circuit'];
  readonly circuit_open_until: string | null;
  readonly in_flight: number;
  readonly max_in_flight: number | null;
  readonly queued: number;
  readonly max_queue: number;
  readonly last_failure: ProviderFailure | null;
}

export function consoleProviderRows(
  config: TurnoutConfig,
  statuses: readonly ProviderStatus[],
  guards: (providerId: string) => ProviderGuardsSnapshot,
  lastFailure: (providerId: string) => ProviderFailure | undefined,
): ConsoleProviderRow[] {
  return statuses.map((status) => {
    const provider = config.providers.find((candidate) => candidate.id === status.id);
    const live = guards(status.id);
    // Down: the last probe failed or the circuit is open; up needs a probe that answered.
    const health = status.reachable === false || live.circuit === 'open' ? 'down' : status.reachable === true ? 'up' : 'unknown';
    return {
      ...status,
      health,
      circuit: live.circuit,
      circuit_open_until: live.openUntil === undefined ? null : new Date(live.openUntil).toISOString(),
      in_flight: live.inFlight,
      max_in_flight: provider?.limits.maxInFlight ?? null,
      queued: live.queued,
      max_queue: provider?.limits.maxQueue ?? 0,
      last_failure: lastFailure(status.id) ?? null,
    };
  });
}

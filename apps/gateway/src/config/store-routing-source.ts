import { GatewayError } from '@turnout/errors';
import type { ConfigStore } from '@turnout/config-store';
import { RoutingSnapshot, type ModeResolver } from '@turnout/routing';
import type { RoutingSource } from './routing-source';

/**
 * Routing from the config store's snapshot in force. The RoutingSnapshot (compiled patterns) is
 * built once per revision; a request calls `current()` once and keeps what it got, so a change
 * applies to the next request and never to one in flight.
 */
export class StoreRoutingSource implements RoutingSource {
  private cached: { readonly revision: number; readonly source: string; readonly snapshot: RoutingSnapshot } | undefined;

  constructor(
    private readonly store: ConfigStore,
    private readonly modeOf: ModeResolver,
  ) {}

  current(): RoutingSnapshot {
    let config;
    try {
      config = this.store.current();
    } catch (error) {
      throw new GatewayError('GW_CONFIG_UNAVAILABLE', { message: (error as Error).message, cause: error });
    }
    const source = this.store.readiness().source;
    if (this.cached?.revision !== config.revision || this.cached.source !== source) {
      this.cached = { revision: config.revision, source, snapshot: new RoutingSnapshot(config.config, this.modeOf) };
    }
    return this.cached.snapshot;
  }
}

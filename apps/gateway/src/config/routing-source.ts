import type { RoutingSnapshot } from '@turnout/routing';

/** Where the current routing snapshot comes from: the config store (file or Redis). */
export interface RoutingSource {
  current(): RoutingSnapshot;
}

export const ROUTING_SOURCE = Symbol('ROUTING_SOURCE');
export const CONFIG_STORE = Symbol('CONFIG_STORE');

import { Inject, Injectable } from '@nestjs/common';
import type { AnthropicRequest } from '@turnout/protocol';
import { UpstreamClient } from '@turnout/providers';
import { requestFacts, type RouteDecision, type RoutingSnapshot } from '@turnout/routing';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import { RequestTokens } from './request-tokens';
import { ProviderGuards } from '@turnout/resilience';
import { AFFINITY_STORE, INFLIGHT_COUNTER } from './routing-tokens';
import type { AffinityStore } from '@turnout/routing';
import type { InflightCounter } from '@turnout/routing';
import { pickReplica } from '@turnout/routing';
import { ROUTING_SOURCE, type RoutingSource } from '../config/routing-source';

export interface RoutedRequest {
  readonly snapshot: RoutingSnapshot;
  readonly decision: RouteDecision;
  /** Where the session's affinity is kept, when the route is sticky and the request has a session. */
  readonly affinityKey: string | undefined;
  /** Why this replica: affinity, balance, or the route's only target. */
  readonly replicaWhy: string;
  readonly tokens: RequestTokens;
}

/**
 * Where a request goes (issue 8): the first route whose model rule and conditions match, then
 * one of its replicas: the session's (affinity) while it is available, else by balance. The
 * input-token condition is counted only when a route asks, with the provider the model goes to
 * when no condition holds (exact where it can count, else the estimate).
 */
@Injectable()
export class RequestRouter {
  constructor(
    @Inject(ROUTING_SOURCE) private readonly routing: RoutingSource,
    private readonly guards: ProviderGuards,
    @Inject(AFFINITY_STORE) private readonly affinity: AffinityStore,
    @Inject(INFLIGHT_COUNTER) private readonly inflight: InflightCounter,
    private readonly upstream: UpstreamClient,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  async route(body: AnthropicRequest, headers: Readonly<Record<string, string | string[] | undefined>>, signal: AbortSignal): Promise<RoutedRequest> {
    // Read once: a config swap mid-request must not change where this request goes.
    const snapshot = this.routing.current();
    const tokens = new RequestTokens(body, this.upstream, this.env, signal);
    const facts = requestFacts(body, headers, async () => (await tokens.forTarget(snapshot.resolve(body.model))).tokens);
    const matched = await snapshot.route(facts);
    const { route } = matched;
    if (route.targets.length === 1) return { snapshot, decision: matched, affinityKey: undefined, replicaWhy: 'the route has one target', tokens };

    const affinityKey = route.affinity === 'session' && facts.sessionId !== undefined ? `${route.name}:${facts.sessionId}` : undefined;
    const providers = route.targets.map((target) => target.provider);
    const [sticky, inFlight] = await Promise.all([
      affinityKey === undefined ? undefined : this.affinity.get(affinityKey),
      route.balance === 'least-in-flight' ? this.inflight.counts(providers) : providers.map(() => 0),
    ]);
    const states = providers.map((providerId, index) => ({ available: this.guards.available(providerId), inFlight: inFlight[index] ?? 0 }));
    const choice = pickReplica(route, states, sticky !== undefined && sticky < providers.length ? sticky : undefined);
    if (affinityKey !== undefined && choice.index !== sticky) await this.affinity.set(affinityKey, choice.index);
    return { snapshot, decision: snapshot.replica(matched, choice.index, body.model), affinityKey, replicaWhy: choice.why, tokens };
  }

  /** The request was served by another replica of its route (its own failed): the session moves there. */
  async served(routed: RoutedRequest, by: RouteDecision): Promise<void> {
    if (routed.affinityKey === undefined || by.routeIndex !== routed.decision.routeIndex || by.targetIndex === routed.decision.targetIndex) return;
    if (by.provider.id !== routed.decision.route.targets[by.targetIndex]?.provider) return; // a fallback, not a replica
    await this.affinity.set(routed.affinityKey, by.targetIndex);
  }
}

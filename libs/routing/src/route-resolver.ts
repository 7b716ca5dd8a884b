import { GatewayError } from '@turnout/errors';
import { decideMessagesMode, PROVIDER_KINDS, type ProviderKind } from '@turnout/providers';
import type { Protocol } from '@turnout/protocol';
import type { ProviderConfig, RouteConfig, TurnoutConfig } from '@turnout/config';
import { compileModelPattern } from './model-pattern';
import { compileConditions, type CompiledConditions } from './route-conditions';
import type { RequestFacts } from './request-facts';

/**
 * A route's model rule: its globs and exact names (`match`, `models`), or its regular expression,
 * and its configured `name` as one more exact name: `/v1/models` lists route names (a glob route
 * has no other finite name), so a client that picks one from the list must reach that route.
 */
function compileModelRule(route: RouteConfig): (model: string) => boolean {
  const patterns = route.models.map(compileModelPattern);
  const regex = route.modelRegex === undefined ? undefined : new RegExp(`^(?:${route.modelRegex})$`, 's');
  const name = hasConfiguredName(route) ? route.name : undefined;
  return (model) => model === name || patterns.some((matches) => matches(model)) || (regex !== undefined && regex.test(model));
}

/** Whether the route's name was written in the config (a default name is `#<index> <match>`). */
export function hasConfiguredName(route: RouteConfig): boolean {
  return !route.name.startsWith('#');
}

export type RouteMode = 'translate' | 'native';

/** Passthrough or translation for one provider, and the sentence that explains why. */
export interface ModeDecision {
  readonly mode: RouteMode;
  readonly reason: string;
}

/**
 * Decides a provider's mode. The gateway's provider registry supplies one that knows what the
 * upstream's version serves; without it, `auto` takes the kind's default.
 */
export type ModeResolver = (provider: ProviderConfig, kind: ProviderKind) => ModeDecision;

/** Where one request goes, decided once per request from one snapshot. */
export interface RouteDecision {
  readonly routeIndex: number;
  readonly route: RouteConfig;
  /** Which of the route's targets (replicas) this is. */
  readonly targetIndex: number;
  /** The model name the client asked for. */
  readonly requestedModel: string;
  readonly provider: ProviderConfig;
  readonly kind: ProviderKind;
  readonly mode: RouteMode;
  readonly modeReason: string;
  /** The protocol spoken to the upstream; `anthropic-messages` means passthrough. */
  readonly protocol: Protocol;
  readonly upstreamModel: string;
}

interface CompiledRoute {
  readonly index: number;
  readonly route: RouteConfig;
  readonly matches: (model: string) => boolean;
  readonly conditions: CompiledConditions;
}

/**
 * An immutable routing table built from one validated config. A config change builds a new
 * snapshot; a request reads the snapshot once, so a change never disturbs a request in flight.
 */
export class RoutingSnapshot {
  private readonly routes: readonly CompiledRoute[];
  private readonly providers: ReadonlyMap<string, ProviderConfig>;

  constructor(
    readonly config: TurnoutConfig,
    private readonly modeOf: ModeResolver = configuredMode,
  ) {
    this.routes = config.routes.map((route, index) => ({ index, route, matches: compileModelRule(route), conditions: compileConditions(route.when) }));
    this.providers = new Map(config.providers.map((p) => [p.id, p]));
  }

  /** First route whose model rule matches a plain request of this model (no conditions met); no match is a 404. */
  resolve(model: string): RouteDecision {
    const hit =
      this.routes.find((candidate) => hasConfiguredName(candidate.route) && candidate.route.name === model) ??
      this.routes.find((candidate) => candidate.matches(model) && candidate.route.when === undefined) ??
      this.routes.find((candidate) => candidate.matches(model));
    if (!hit) throw this.notFound(model);
    return this.decide(hit, 0, model, hit.route.model ?? model);
  }

  /**
   * Routes a request (issue 8): in order, the first route whose model rule matches and whose
   * conditions all hold wins; conditions are checked only for routes whose model rule matched.
   */
  async route(facts: RequestFacts): Promise<RouteDecision> {
    for (const candidate of this.routes) {
      if (!candidate.matches(facts.model)) continue;
      // A client that names the route itself (as /v1/models lists it) has chosen it: no conditions.
      const named = hasConfiguredName(candidate.route) && candidate.route.name === facts.model;
      if (!named && !(await candidate.conditions.holds(facts))) continue;
      return this.decide(candidate, 0, facts.model, candidate.route.model ?? facts.model);
    }
    throw this.notFound(facts.model);
  }

  /** The same route, another of its replicas (chosen by balance and affinity in the gateway). */
  replica(decision: RouteDecision, targetIndex: number, requestedModel: string): RouteDecision {
    const hit = this.routes[decision.routeIndex] as CompiledRoute;
    const target = hit.route.targets[targetIndex];
    if (!target) throw new GatewayError('GW_INTERNAL', { message: `route ${hit.index} has no target ${targetIndex}` });
    return this.decide(hit, targetIndex, requestedModel, target.model ?? requestedModel, target.provider);
  }

  private notFound(model: string): GatewayError {
    const configured = this.routes.map((r) => `"${r.route.match}"`).join(', ') || '(none)';
    return new GatewayError('GW_ROUTE_NOT_FOUND', { message: `model: no route matches "${model}"; configured routes: ${configured}` });
  }

  /**
   * The targets a request may use, in order: the route's provider, then its fallbacks. A
   * fallback written `provider/model` asks that provider for that model; a bare provider id
   * gets the same upstream model name as the route.
   */
  candidates(decision: RouteDecision): RouteDecision[] {
    const hit = this.routes[decision.routeIndex] as CompiledRoute;
    // The chosen replica first, then the route's other replicas, then its fallbacks.
    const requested = decision.requestedModel;
    const replicas = hit.route.targets
      .map((target, index) => ({ target, index }))
      .filter(({ index }) => index !== decision.targetIndex)
      .map(({ target, index }) => this.decide(hit, index, requested, target.model ?? requested, target.provider));
    return [
      decision,
      ...replicas,
      ...hit.route.fallbacks.map((fallback) => {
        const slash = fallback.indexOf('/');
        return slash === -1
          ? this.decide(hit, decision.targetIndex, requested, decision.upstreamModel, fallback)
          : this.decide(hit, decision.targetIndex, requested, fallback.slice(slash + 1), fallback.slice(0, slash));
      }),
    ];
  }

  private decide(
    hit: CompiledRoute,
    targetIndex: number,
    requestedModel: string,
    upstreamModel: string,
    providerId = hit.route.targets[targetIndex]?.provider ?? hit.route.provider,
  ): RouteDecision {
    const provider = this.providers.get(providerId);
    if (!provider) throw new GatewayError('GW_INTERNAL', { message: `route ${hit.index} names unknown provider ${providerId}` });
    const kind = PROVIDER_KINDS[provider.kind];
    const { mode, reason } = this.modeOf(provider, kind);
    return {
      routeIndex: hit.index,
      route: hit.route,
      targetIndex,
      requestedModel,
      provider,
      kind,
      mode,
      modeReason: reason,
      protocol: mode === 'native' ? 'anthropic-messages' : translationTarget(kind, provider.translateTo),
      upstreamModel,
    };
  }
}

/**
 * The config alone: `native` and `translate` as written; `auto` passes through only a kind
 * that speaks nothing but Anthropic (version probing refines this in the provider registry).
 */
export function configuredMode(provider: ProviderConfig, kind: ProviderKind): ModeDecision {
  // The same decision the provider registry makes, minus the probe: one wording everywhere.
  return decideMessagesMode(provider.messages, kind, undefined);
}

function translationTarget(kind: ProviderKind, configured: Protocol | undefined): Protocol {
  if (configured) return configured;
  const target = kind.protocols.find((p) => p !== 'anthropic-messages');
  if (!target) throw new GatewayError('GW_INTERNAL', { message: `kind ${kind.id} has no translation target` });
  return target;
}

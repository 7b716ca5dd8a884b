import { GatewayError } from '@turnout/errors';
import { hasConfiguredName, type RoutingSnapshot } from '@turnout/routing';

/**
 * Anthropic's `ModelInfo` (docs/protocol.md §6.2) and OpenAI's `Model` in one object (issue 17),
 * so both SDKs' `models.list()` read the same answer; Turnout knows no release dates, so the
 * epoch stands in. `owned_by` is the provider the name routes to.
 */
export interface ModelInfo {
  readonly type: 'model';
  readonly id: string;
  readonly display_name: string;
  readonly created_at: string;
  readonly max_input_tokens: number | null;
  readonly max_tokens: number | null;
  readonly capabilities: null;
  readonly object: 'model';
  readonly created: number;
  readonly owned_by: string;
}

export interface ModelPage {
  /** OpenAI's list marker; Anthropic's SDK reads the paging fields. */
  readonly object: 'list';
  readonly data: readonly ModelInfo[];
  readonly has_more: boolean;
  readonly first_id: string | null;
  readonly last_id: string | null;
}

export interface PageQuery {
  readonly limit?: string;
  readonly after_id?: string;
  readonly before_id?: string;
}

/** What the catalogue needs to know about a provider's upstream: its models and context window. */
export type ProbeFacts = (providerId: string) => { readonly models?: readonly string[]; readonly contextWindow?: number } | undefined;

const UNKNOWN_DATE = '1970-01-01T00:00:00Z';
const GLOB = /[*?]/;

/**
 * The names a client can send, in config order: each route's configured `name` (the only
 * finite name a glob route such as `claude-*haiku*` has; routing accepts it as a model name)
 * and its exact names and aliases (`match`, `models`), then each upstream's own model names that
 * route back to that same upstream unchanged. Every entry carries the context window of the
 * target it reaches. The facts come from the provider registry's probes, which are re-read
 * every minute: that is the list's cache and its TTL, so a request never waits on an upstream.
 */
export function listModels(snapshot: RoutingSnapshot, facts: ProbeFacts): ModelInfo[] {
  const seen = new Set<string>();
  const out: ModelInfo[] = [];
  const add = (id: string) => {
    if (seen.has(id)) return;
    const info = describeModel(snapshot, facts, id);
    if (info) {
      seen.add(id);
      out.push(info);
    }
  };
  for (const route of snapshot.config.routes) {
    if (hasConfiguredName(route)) add(route.name);
    for (const name of route.models) if (!GLOB.test(name)) add(name);
  }
  for (const provider of snapshot.config.providers) {
    for (const model of facts(provider.id)?.models ?? []) {
      const decision = tryResolve(snapshot, model);
      if (decision && decision.provider.id === provider.id && decision.upstreamModel === model) add(model);
    }
  }
  return out;
}

/** Any name a route matches has a ModelInfo (so `GET /v1/models/{id}` resolves aliases and globs). */
export function describeModel(snapshot: RoutingSnapshot, facts: ProbeFacts, id: string): ModelInfo | undefined {
  const decision = tryResolve(snapshot, id);
  if (!decision) return undefined;
  const target = decision.upstreamModel === id ? decision.provider.id : `${decision.provider.id}/${decision.upstreamModel}`;
  return {
    type: 'model',
    id,
    display_name: `${id} (via ${target})`,
    created_at: UNKNOWN_DATE,
    max_input_tokens: facts(decision.provider.id)?.contextWindow ?? null,
    max_tokens: null,
    capabilities: null,
    object: 'model',
    created: 0,
    owned_by: decision.provider.id,
  };
}

/** Anthropic paging: `limit` 1-1000 (default 20), `after_id` / `before_id` cursors. */
export function pageModels(models: readonly ModelInfo[], query: PageQuery): ModelPage {
  const limit = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new GatewayError('GW_INVALID_REQUEST', { message: 'limit: must be an integer from 1 to 1000' });
  }
  let start = 0;
  let end = models.length;
  if (query.after_id !== undefined) start = cursor(models, query.after_id, 'after_id') + 1;
  if (query.before_id !== undefined) end = cursor(models, query.before_id, 'before_id');
  const before = query.before_id !== undefined && query.after_id === undefined;
  const window = models.slice(start, end);
  const data = before ? window.slice(Math.max(0, window.length - limit)) : window.slice(0, limit);
  return { object: 'list', data, has_more: window.length > limit, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
}

function cursor(models: readonly ModelInfo[], id: string, field: string): number {
  const index = models.findIndex((model) => model.id === id);
  if (index === -1) throw new GatewayError('GW_INVALID_REQUEST', { message: `${field}: unknown model id "${id}"` });
  return index;
}

function tryResolve(snapshot: RoutingSnapshot, model: string) {
  try {
    return snapshot.resolve(model);
  } catch (error) {
    if (GatewayError.is(error) && error.code === 'GW_ROUTE_NOT_FOUND') return undefined;
    throw error;
  }
}

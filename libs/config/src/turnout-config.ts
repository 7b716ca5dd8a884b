import type { ProviderKindId } from '@turnout/providers';
import type { Protocol } from '@turnout/protocol';
import type { MessagesMode } from './turnout-config.dto';

/** The validated, defaulted, deep-frozen configuration the gateway runs on. */
export interface ProviderTimeouts {
  readonly connectMs: number;
  readonly firstByteMs: number;
  readonly idleMs: number;
  /** Whole exchange; undefined: no limit. */
  readonly totalMs?: number;
}

/** Slots and the wait queue in front of one provider; `maxInFlight` undefined means no limit. */
export interface ProviderLimits {
  readonly maxInFlight: number | undefined;
  readonly maxQueue: number;
  readonly maxWaitMs: number;
}

export interface CircuitSettings {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  /** Requests that must have ended within `windowMs` before the circuit may open (Envoy's minimum volume). */
  readonly minRequests: number;
  readonly windowMs: number;
}

export interface RetrySettings {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface ProviderConfig {
  readonly id: string;
  readonly kind: ProviderKindId;
  readonly baseUrl: string;
  readonly messages: MessagesMode;
  readonly apiKeyEnv: string | undefined;
  readonly timeouts: ProviderTimeouts;
  /** Set only when the config names one; otherwise the kind's preferred translation target. */
  readonly translateTo: Protocol | undefined;
  /** `context_window` from the config: overrides the probed window (and is Ollama's num_ctx). */
  readonly contextWindow: number | undefined;
  readonly betas: BetaPolicy;
  /** Only the rules the config sets; the gateway layers them over the kind's defaults. */
  readonly hygiene: HygieneOverrides;
  readonly limits: ProviderLimits;
  readonly circuit: CircuitSettings;
  readonly retries: RetrySettings;
  readonly onDisconnect: 'abort' | 'drain';
  /** Who answers `safeguards` on passthrough: resolved from the kind when the config is silent. */
  readonly safeguards: 'passthrough' | 'synthesize';
}

export interface BetaPolicy {
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
}

export interface HygieneOverrides {
  readonly stripBillingHeader?: boolean;
  readonly foldSystemMessages?: boolean;
  readonly dropCacheControl?: boolean;
  readonly dropFields?: readonly string[];
  readonly dropForeignThinking?: boolean;
  readonly toolIdFormat?: 'keep' | 'mistral9';
}

export interface RouteConditions {
  readonly thinking?: boolean;
  readonly inputTokensOver?: number;
  readonly images?: boolean;
  readonly tool?: string;
  readonly header?: { readonly name: string; readonly value?: string };
  readonly session?: boolean;
}

export interface RouteTarget {
  readonly provider: string;
  /** Upstream model name; undefined: the requested one. */
  readonly model: string | undefined;
  readonly weight: number;
}

export interface RouteConfig {
  /** `x-turnout-route`: the configured name, or `#<index> <match>`. */
  readonly name: string;
  /** The model rule as written, for logs and errors (a glob, `a|b|c` for an alias list, `/re/`). */
  readonly match: string;
  readonly models: readonly string[];
  readonly modelRegex: string | undefined;
  readonly when: RouteConditions | undefined;
  /** The first target's provider and model (a one-target route's only ones). */
  readonly provider: string;
  readonly model: string | undefined;
  readonly targets: readonly RouteTarget[];
  readonly balance: 'weighted' | 'least-in-flight';
  readonly affinity: 'session' | 'none';
  readonly pingIntervalMs: number;
  /** Provider ids tried in order after the route's own provider fails before the first byte. */
  readonly fallbacks: readonly string[];
  readonly commit: 'first-event' | 'early';
}

export interface ApiKeyConfig {
  readonly id: string;
  readonly sha256: string;
  /** Globs; undefined: every model. */
  readonly models: readonly string[] | undefined;
  readonly requestsPerMinute: number | undefined;
  readonly tokensPerMinute: number | undefined;
  /** Optional token and cost budgets (snake_case as in the admin API's KeyView). */
  readonly budget?: { readonly daily_tokens?: number; readonly monthly_tokens?: number; readonly daily_usd?: number; readonly monthly_usd?: number };
}

export interface ModelPrice {
  /** A model glob (the client's requested name). */
  readonly model: string;
  readonly inputUsdPerMtok: number;
  readonly outputUsdPerMtok: number;
}

export interface TurnoutConfig {
  readonly providers: readonly ProviderConfig[];
  readonly routes: readonly RouteConfig[];
  readonly keys: readonly ApiKeyConfig[];
  /** Empty: no cost is computed. */
  readonly prices: readonly ModelPrice[];
}

/**
 * Defaults chosen for local model servers: a 100k-token prefill on a GPU box can take minutes
 * before the first byte, and Claude Code itself gives up after ~300 s of stream silence.
 */
export const DEFAULT_TIMEOUTS: ProviderTimeouts = Object.freeze({ connectMs: 10_000, firstByteMs: 600_000, idleMs: 300_000 });
export const DEFAULT_PING_INTERVAL_MS = 10_000;
export const DEFAULT_LIMITS: ProviderLimits = Object.freeze({ maxInFlight: undefined, maxQueue: 100, maxWaitMs: 60_000 });
export const DEFAULT_CIRCUIT: CircuitSettings = Object.freeze({ failureThreshold: 5, cooldownMs: 30_000, minRequests: 5, windowMs: 60_000 });
export const DEFAULT_RETRIES: RetrySettings = Object.freeze({ maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 });

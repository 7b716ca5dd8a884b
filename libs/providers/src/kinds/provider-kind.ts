import type { Dialect, Protocol } from '@turnout/protocol';
import type { ProviderQuirk } from './provider-quirk';
import type { VersionRequirement } from './version-requirement';

export type ProviderKindId = 'llama-cpp' | 'ollama' | 'vllm' | 'lm-studio' | 'anthropic' | 'openai';

export const PROVIDER_KIND_IDS: readonly ProviderKindId[] = ['llama-cpp', 'ollama', 'vllm', 'lm-studio', 'anthropic', 'openai'];

/** How the upstream expects the gateway's own credential. Client credentials are never forwarded. */
export type UpstreamAuthStyle = 'bearer' | 'x-api-key';

/** Passthrough of `/v1/messages` (`native`) or translation to another protocol. */
export type MessagesMode = 'native' | 'translate';

/**
 * Ways to count a request's tokens exactly with the upstream's own tokenizer, tried in the
 * kind's order (docs/protocol.md §6.1):
 * - `anthropic-count-tokens`: POST `/v1/messages/count_tokens` (Anthropic, llama.cpp, vLLM 2026).
 * - `llama-tokenize`: POST `/apply-template` then `/tokenize` (any llama-server).
 * - `vllm-tokenize`: POST `/tokenize` with chat messages (vLLM applies its template).
 */
export type CountTokensStrategy = 'anthropic-count-tokens' | 'llama-tokenize' | 'vllm-tokenize';

/** What one probe endpoint's JSON says. Readers report only what they saw. */
export interface ProbeReading {
  readonly version?: string;
  readonly servesMessages?: boolean;
  /** Tokens one request may use (per slot on llama.cpp, `max_model_len` on vLLM). */
  readonly contextWindow?: number;
  readonly models?: readonly string[];
}

/** One cheap GET and the pure function that reads its JSON. */
export interface ProbeEndpoint {
  readonly path: string;
  readonly read: (json: unknown) => ProbeReading;
  /** What a 404 says, when the endpoint's absence is itself evidence. */
  readonly whenNotFound?: ProbeReading;
}

/** Per-model details behind a POST (Ollama `/api/show`), bounded to the first few models. */
export interface ModelDetailsProbe {
  readonly path: string;
  readonly maxModels: number;
  readonly body: (model: string) => unknown;
  readonly read: (json: unknown) => ProbeReading;
}

/**
 * A cheap POST whose 200 or 404 tells whether `/v1/messages` is served, for when the version
 * cannot (llama.cpp built from a source tree reports `b0-unknown`). Only for kinds whose
 * endpoint arrived together with `/v1/messages` and that answer unknown routes with 404.
 */
export interface MessagesEndpointCheck {
  readonly path: string;
  readonly body: (model: string | undefined) => unknown;
}

/** How to learn a running server's version, context window and models without generating anything. */
export interface VersionProbe {
  /** GETs, issued together; each bounded by the caller's signal. */
  readonly endpoints: readonly ProbeEndpoint[];
  /** Extra headers the probe GETs need (Anthropic wants `anthropic-version` on every call). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The first version that serves `/v1/messages`; absent when a reader says so directly. */
  readonly messagesSince?: VersionRequirement;
  readonly modelDetails?: ModelDetailsProbe;
  readonly messagesEndpointCheck?: MessagesEndpointCheck;
}

/**
 * A provider kind is data, not a class: which wire protocols the server speaks and where,
 * how it authenticates, how to probe it, how to count tokens with it, and its dialect and
 * quirks (docs/style.md §3). Adding a kind means one descriptor file, one line in kinds/index.ts, its
 * contract test and its fixtures.
 */
export interface ProviderKind {
  readonly id: ProviderKindId;
  /** Protocols in order of preference for translation (the first translatable one is used). */
  readonly protocols: readonly Protocol[];
  /** Path of each protocol's generate endpoint, appended to the provider's base_url. */
  readonly paths: Readonly<Partial<Record<Protocol, string>>>;
  readonly auth: UpstreamAuthStyle;
  /** Whether every call must carry `anthropic-version` (the first-party API rejects calls without it). */
  readonly requiresAnthropicVersion: boolean;
  /** Reasoning field names and other OpenAI-side flags the translators read. */
  readonly dialect: Dialect;
  /** Runs on the team's own hardware: hygiene that keeps local prompt caches warm applies. */
  readonly local: boolean;
  /** What `messages: auto` means when there is no evidence (not probed, unreachable, unknown version). */
  readonly autoMode: MessagesMode;
  readonly probe: VersionProbe;
  /** Exact counting, in order of preference; empty means the gateway estimates. */
  readonly countTokens: readonly CountTokensStrategy[];
  readonly quirks: readonly ProviderQuirk[];
}

/** Freezes a descriptor (and its nested tables) so no request can mutate shared kind data. */
export function defineProviderKind(kind: ProviderKind): ProviderKind {
  Object.freeze(kind.protocols);
  Object.freeze(kind.paths);
  Object.freeze(kind.dialect);
  Object.freeze(kind.countTokens);
  Object.freeze(kind.quirks);
  const { probe } = kind;
  for (const endpoint of probe.endpoints) {
    if (endpoint.whenNotFound) Object.freeze(endpoint.whenNotFound);
    Object.freeze(endpoint);
  }
  Object.freeze(probe.endpoints);
  if (probe.headers) Object.freeze(probe.headers);
  if (probe.messagesSince) Object.freeze(probe.messagesSince);
  if (probe.modelDetails) Object.freeze(probe.modelDetails);
  if (probe.messagesEndpointCheck) Object.freeze(probe.messagesEndpointCheck);
  Object.freeze(probe);
  return Object.freeze(kind);
}

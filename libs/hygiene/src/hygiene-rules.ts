/**
 * Which request rewrites a provider gets. Every key is required so that a provider's config
 * overrides (`HygieneOverrides`, all optional) spread over a default always give a full set.
 */
export interface HygieneRules {
  /** Remove Claude Code's per-conversation `x-anthropic-billing-header:` system block. */
  readonly stripBillingHeader: boolean;
  /** Move `role:"system"` entries out of `messages` (docs/protocol.md §7.3 step 2). */
  readonly foldSystemMessages: boolean;
  /** Remove every `cache_control` marker. */
  readonly dropCacheControl: boolean;
  /** Top-level request fields to remove when present (e.g. `context_management`). */
  readonly dropFields: readonly string[];
  /** For the Anthropic API: remove thinking it did not sign, and empty text blocks. */
  readonly dropForeignThinking: boolean;
  /** `mistral9`: rewrite tool ids to the 9 alphanumeric characters Mistral templates demand. */
  readonly toolIdFormat: 'keep' | 'mistral9';
}

/** Every rule off: the request goes upstream exactly as the client sent it. */
export const NO_HYGIENE: HygieneRules = Object.freeze({
  stripBillingHeader: false,
  foldSystemMessages: false,
  dropCacheControl: false,
  dropFields: Object.freeze([]),
  dropForeignThinking: false,
  toolIdFormat: 'keep',
});

/**
 * The default for local servers: the billing block would defeat their prefix cache, strict
 * templates reject mid-list system entries, and some hosts reject `cache_control`.
 */
export const LOCAL_HYGIENE: HygieneRules = Object.freeze({
  stripBillingHeader: true,
  foldSystemMessages: true,
  dropCacheControl: true,
  dropFields: Object.freeze([]),
  dropForeignThinking: false,
  toolIdFormat: 'keep',
});

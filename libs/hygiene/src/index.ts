/**
 * Request hygiene: per-provider rewrites of a (Claude Code) Messages request before it goes
 * upstream, on the passthrough and the translation track alike.
 *
 * Rewrite names (stable: they go into a response header and a metrics label):
 * - `strip-billing-header`   Claude Code's `x-anthropic-billing-header:` system block removed
 * - `fold-system-messages`   `role:"system"` entries moved out of `messages` (docs/protocol.md §7.3)
 * - `drop-cache-control`     every `cache_control` removed
 * - `drop-fields(<a,b>)`     the listed top-level fields removed (only those present; config order)
 * - `drop-foreign-thinking`  thinking not signed by Anthropic removed (and `thinking` when needed)
 * - `drop-empty-text`        blank text blocks removed (with drop-foreign-thinking, for Anthropic)
 * - `tool-ids-mistral9`      tool ids rewritten to 9 alphanumerics (request side only)
 */
export { applyHygiene, type HygieneResult } from './apply-hygiene';
export { LOCAL_HYGIENE, NO_HYGIENE, type HygieneRules } from './hygiene-rules';
export { HYGIENE_REWRITES, dropFieldsRewrite } from './hygiene-rewrite';
export { BILLING_HEADER_PREFIX } from './strip-billing-header';
export { isAnthropicSignature, MIN_ANTHROPIC_SIGNATURE_LENGTH } from './anthropic-signature';
export { MISTRAL_TOOL_ID, mistralToolId } from './mistral-tool-ids';

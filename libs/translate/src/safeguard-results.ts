/**
 * Claude Code's auto mode (2.1.278+) sends `safeguards: [{type: "dangerous_tool_use",
 * classifier_context: {…}}]` with the beta `dangerous-tool-use-2026-09-03` and expects
 * `safeguard_results` back: top-level in a unary Message, in `message_delta.delta` when
 * streaming. Only Anthropic's API runs that classifier. For any other upstream Turnout answers
 * for it: each requested safeguard comes back with status `unsupported` (not evaluated), which
 * covers every `tool_use` of the answer, so the client runs its own check instead of trusting
 * a verdict nobody made or concluding the field was lost on the way.
 *
 * The shape is not in the official SDK's types (checked up to @anthropic-ai/sdk 1.17.0, the
 * newest on 2026-12-04); it follows what Claude Code is seen to send and parse: an array of
 * `{type, status: {type}}` items with status types `available`, `unsupported`, `unavailable`.
 */
export const SAFEGUARDS_BETA = 'dangerous-tool-use-2026-09-03';

export interface SafeguardResult {
  readonly type: string;
  readonly status: { readonly type: 'unsupported' };
}

/** Requests are bounded elsewhere (body size); this caps what one answer echoes back. */
const MAX_RESULTS = 16;
const MAX_TYPE_CHARS = 64;

/**
 * The results Turnout answers with when it, not the upstream, handles `safeguards`; undefined
 * when the request asked for none (then the answer carries no `safeguard_results` at all).
 */
export function synthesizedSafeguardResults(safeguards: unknown): readonly SafeguardResult[] | undefined {
  if (!Array.isArray(safeguards) || safeguards.length === 0) return undefined;
  return safeguards.slice(0, MAX_RESULTS).map((entry) => ({
    type: typeOf(entry),
    status: { type: 'unsupported' },
  }));
}

function typeOf(entry: unknown): string {
  const type = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).type : undefined;
  return typeof type === 'string' && type !== '' ? type.slice(0, MAX_TYPE_CHARS) : 'dangerous_tool_use';
}

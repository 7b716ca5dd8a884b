/**
 * Behaviours of one server kind that a gateway must know about (protocol.md §9 rows
 * "Anthropic-route quirks" and "OpenAI-route quirks", §6.1, §10 E), as stable string keys.
 * A kind lists its quirks as data; code that compensates tests the quirk, never the brand.
 * The catalogue below is the one place each key is explained.
 */
export const PROVIDER_QUIRKS = Object.freeze({
  'stop-sequence-reported-as-end-turn': 'a matched stop sequence gives stop_reason "end_turn" (stop_sequence is set)',
  'empty-thinking-signature': 'thinking blocks carry signature ""',
  'thinking-without-signature': 'thinking blocks have no signature key',
  'random-thinking-signatures': 'thinking signatures are random hex, not verifiable',
  'content-block-stops-batched': 'every content_block_stop arrives together at the end of the stream',
  'tool-choice-ignored': 'tool_choice is ignored (or "none" is, and a named tool becomes "required")',
  'tool-calls-streamed-whole': 'tool calls arrive in one delta, not as argument fragments',
  'input-tokens-estimated-at-start': 'message_start usage.input_tokens is an estimate',
  'stop-reason-omitted-when-empty': 'the stop_reason key is left out when there is none',
  'rejects-system-role-in-messages': 'a role "system" message inside messages is rejected (some versions)',
  'errors-not-anthropic-shaped': 'error bodies are OpenAI-shaped or use non-Anthropic type names',
  'validation-errors-as-500': 'client mistakes (missing messages, bad JSON, images without mmproj) come back as 500',
  'engine-errors-as-500': 'engine failures surface as 500 api_error',
  'count-tokens-fakes-200': 'POST /v1/messages/count_tokens answers 200 without counting anything',
  'strict-unknown-fields': 'unknown fields, empty text blocks and bad signatures are rejected with 400',
  'default-context-may-truncate': 'the default context length can silently truncate long prompts',
  'parallel-tool-calls-share-index': 'parallel tool calls in a stream may all use index 0',
  'x-api-key-rejected': 'only Authorization: Bearer is accepted',
  'sse-comment-pings': 'long silences in a stream are filled with SSE comment lines',
} as const);

export type ProviderQuirk = keyof typeof PROVIDER_QUIRKS;

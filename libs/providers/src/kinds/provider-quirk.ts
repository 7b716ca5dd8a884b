/**
 * Behaviours of one server kind that a gateway must know about (docs/protocol.md §9 rows
 * "Anthropic-route quirks" and "OpenAI-route quirks", §6.1, §10 E), as stable string keys.
 * A kind lists its quirks as data (documentation the type checker keeps to this list); code
 * that compensates tests the quirk, never the brand. Each key is explained here, once.
 */
export type ProviderQuirk =
  /** a matched stop sequence gives stop_reason "end_turn" (stop_sequence is set) */
  | 'stop-sequence-reported-as-end-turn'
  /** thinking blocks carry signature "" */
  | 'empty-thinking-signature'
  /** thinking blocks have no signature key */
  | 'thinking-without-signature'
  /** thinking signatures are random hex, not verifiable */
  | 'random-thinking-signatures'
  /** every content_block_stop arrives together at the end of the stream */
  | 'content-block-stops-batched'
  /** tool_choice is ignored (or "none" is, and a named tool becomes "required") */
  | 'tool-choice-ignored'
  /** tool calls arrive in one delta, not as argument fragments */
  | 'tool-calls-streamed-whole'
  /** message_start usage.input_tokens is an estimate */
  | 'input-tokens-estimated-at-start'
  /** the stop_reason key is left out when there is none */
  | 'stop-reason-omitted-when-empty'
  /** a role "system" message inside messages is rejected (some versions) */
  | 'rejects-system-role-in-messages'
  /** error bodies are OpenAI-shaped or use non-Anthropic type names */
  | 'errors-not-anthropic-shaped'
  /** client mistakes (missing messages, bad JSON, images without mmproj) come back as 500 */
  | 'validation-errors-as-500'
  /** engine failures surface as 500 api_error */
  | 'engine-errors-as-500'
  /** POST /v1/messages/count_tokens answers 200 without counting anything */
  | 'count-tokens-fakes-200'
  /** unknown fields, empty text blocks and bad signatures are rejected with 400 */
  | 'strict-unknown-fields'
  /** the default context length can silently truncate long prompts */
  | 'default-context-may-truncate'
  /** parallel tool calls in a stream may all use index 0 */
  | 'parallel-tool-calls-share-index'
  /** only Authorization: Bearer is accepted */
  | 'x-api-key-rejected'
  /** long silences in a stream are filled with SSE comment lines */
  | 'sse-comment-pings';

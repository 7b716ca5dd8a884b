/**
 * @turnout/passthrough: the track for upstreams that speak Anthropic `/v1/messages` natively
 * (the Anthropic API, llama.cpp, vLLM, Ollama, LM Studio). The client's request bytes go
 * upstream unchanged except the `model` value, and the upstream's bytes come back unchanged,
 * so unknown fields, thinking signatures and number spellings survive (docs/protocol.md §9.1).
 *
 * What this library decides, as pure functions over bytes, headers and parsed JSON:
 * - `rewriteModelField`: the one edit to request and unary response bodies, done in the bytes;
 * - `forwardedRequestHeaders` / `relayedResponseHeaders`: which headers cross, each way
 *   (credentials never do; `anthropic-beta` is filtered by the provider's `BetaPolicy`);
 * - `relayAnthropicFrames`: the upstream's event stream cut into complete frames for the
 *   client, ending in a GatewayError (one `event: error`) on anything the client could not read;
 * - `AnthropicSseTap` / `readUnaryUsage`: usage and stop reason read on the side, for logs
 *   and metrics, without slowing or ever breaking the relay;
 * - `normalizeUpstreamError`: an upstream error response as the Anthropic error the client sees;
 * - `relayOpenAiChatFrames` / `readOpenAiUsage`: the same relay and side reading for an
 *   OpenAI-compatible upstream's chunks, when the client itself speaks OpenAI (issue 17);
 * - `scanJsonShape`: a request body's nesting depth and duplicate top-level members, on the bytes.
 *
 * It does no I/O and knows no framework: the gateway's `PassthroughForwarder` sends and relays.
 */
export { rewriteModelField } from './rewrite-model-field';
export type { BetaPolicy } from './beta-policy';
export { forwardedRequestHeaders, type ForwardedRequestHeaders } from './forwarded-request-headers';
export { relayedResponseHeaders, UPSTREAM_REQUEST_ID_HEADER } from './relayed-response-headers';
export { AnthropicSseTap, MAX_TAPPED_EVENT_BYTES, type AnthropicSseTapOptions } from './anthropic-sse-tap';
export { upstreamErrorEventAsGatewayError, type UpstreamErrorEvent } from './upstream-error-event';
export { relayAnthropicFrames, type RelayOptions } from './relay-anthropic-frames';
export { readUnaryUsage } from './read-unary-usage';
export { normalizeUpstreamError } from './normalize-upstream-error';
export { relayOpenAiChatFrames, OpenAiChatStreamFacts, type OpenAiRelayOptions } from './relay-openai-chat-frames';
export { readOpenAiUsage, readOpenAiUnaryUsage } from './openai-chat-usage';
export { askStreamUsage } from './ask-stream-usage';
export * from './safeguard-results-relay';
export { scanJsonShape, type JsonShape } from './json-shape';

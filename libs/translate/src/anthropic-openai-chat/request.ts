/**
 * Anthropic Messages request → OpenAI Chat Completions request (docs/protocol.md §7.2-§7.5).
 *
 * Drop/map rule for what the Anthropic API adds faster than we translate (§0, §1.2):
 * - Top-level fields are an allowlist. Fields with an OpenAI meaning are mapped (model, messages,
 *   system, max_tokens, temperature, top_p, top_k, stop_sequences, stream, tools, tool_choice,
 *   thinking, output_config, metadata.user_id); every other field is dropped: Anthropic-only ones
 *   (service_tier, container, inference_geo, context_management, mcp_servers, safeguards,
 *   cache_control, speed, diagnostics …) and any field unknown today. Strict upstreams reject
 *   unknown keys (`Extra inputs are not permitted`, §10 E2), so nothing is forwarded blindly.
 * - Content blocks are also read by allowlist: known blocks are translated; unknown block types,
 *   and known ones with no OpenAI meaning (redacted_thinking, server_tool_use, *_tool_result,
 *   tool_reference, container_upload), are dropped and never cause a 400. Unknown keys on known
 *   blocks (cache_control, citations, caller …) are never copied, because every OpenAI object is
 *   built afresh.
 * - A 400 (GW_INVALID_REQUEST, naming the field) is only for content that exists, matters, and
 *   cannot be expressed upstream: Files API sources, PDF documents, URL images where the dialect
 *   cannot fetch them, max_tokens 0, a tool_choice naming no translated tool.
 */
import { isRecord, type AnthropicRequest, type Dialect, type OpenAiChatRequest } from '@turnout/protocol';
import { createToolNameMap, type ToolNameMap } from '../tool-names';
import type { TranslateContext } from '../translator';
import { convertConversation } from './message-conversion';
import { invalidRequest, recordsOf } from './narrow';
import { renderMessages } from './render-messages';
import { mapThinking } from './thinking-mapping';
import { mapToolChoice, mapTools } from './tool-mapping';

export interface OpenAiChatRequestTranslation {
  readonly body: OpenAiChatRequest;
  /** Shortened tool names, to restore the client's names in the response. */
  readonly toolNames: ToolNameMap;
  /** The client's stop_sequences, for stop_sequence detection on the response side. */
  readonly stopSequences: readonly string[];
}

/** Pure and deterministic: never mutates `request`; the same inputs give a deep-equal body. */
export function toOpenAiChatRequest(request: AnthropicRequest, context: TranslateContext): OpenAiChatRequestTranslation {
  const { dialect } = context;
  const toolNames = createToolNameMap(recordsOf(request.tools), dialect.maxToolNameLength);
  const conversation = convertConversation(request.system, Array.isArray(request.messages) ? request.messages : [], toolNames, {
    imageUrls: dialect.acceptsImageUrls,
    reasoning: dialect.reasoningInputField !== 'none',
  });
  const isPrefill = conversation.turns.at(-1)?.role === 'assistant';
  const stopSequences = Array.isArray(request.stop_sequences)
    ? request.stop_sequences.filter((stop): stop is string => typeof stop === 'string')
    : [];
  const tools = mapTools(request.tools, toolNames);

  const body: OpenAiChatRequest = {
    model: context.upstreamModel,
    messages: renderMessages(conversation.systemPrompt, conversation.turns, dialect),
    ...maxTokens(request.max_tokens, dialect),
    ...sampling(request, dialect),
    ...(stopSequences.length > 0 ? { stop: [...stopSequences] } : {}),
    ...stoppingWordReport(stopSequences, dialect, request.messages),
    ...streaming(request.stream === true, dialect),
    ...(tools.length > 0 ? { tools } : {}),
    ...mapToolChoice(request.tool_choice, tools, toolNames),
    ...mapThinking(request.thinking, request.output_config, dialect, isPrefill),
    ...responseFormat(request.output_config),
    ...user(request.metadata, dialect),
  };
  return { body, toolNames, stopSequences };
}

/**
 * `max_tokens` under the dialect's name (§7.2). Absent (a count_tokens body) stays absent. 0 is
 * Anthropic's "warm the cache, generate nothing", which OpenAI-style servers read as "unlimited" or
 * reject (§1.2): refused here rather than sent.
 */
function maxTokens(value: unknown, dialect: Dialect): Partial<OpenAiChatRequest> {
  if (typeof value !== 'number') return {};
  if (value <= 0) throw invalidRequest(`max_tokens: must be at least 1 for this upstream (got ${value})`);
  // Two literals, not `{ [field]: value }`: V8 defines a computed key through its runtime, at a
  // few thousand instructions per request.
  return dialect.maxTokensField === 'max_tokens' ? { max_tokens: value } : { max_completion_tokens: value };
}

/**
 * Sampling parameters pass through unchanged: Anthropic's ranges are subsets of OpenAI's (§1.2).
 * `top_k` is not OpenAI; strict servers reject it, others ignore it (Dialect.acceptsTopK).
 */
function sampling(request: AnthropicRequest, dialect: Dialect): Partial<OpenAiChatRequest> {
  const { temperature, top_p: topP, top_k: topK } = request;
  return {
    ...(typeof temperature === 'number' ? { temperature } : {}),
    ...(typeof topP === 'number' ? { top_p: topP } : {}),
    ...(typeof topK === 'number' && dialect.acceptsTopK ? { top_k: topK } : {}),
  };
}

/**
 * `stream` mirrors the client's; streamed usage needs `include_usage` where accepted (§7.7), and
 * `return_progress` (llama.cpp) gives the prompt's size before the first token, for message_start.
 */
function streaming(stream: boolean, dialect: Dialect): Partial<OpenAiChatRequest> {
  if (!stream) return { stream: false };
  return {
    stream: true,
    ...(dialect.acceptsStreamOptions ? { stream_options: { include_usage: true } } : {}),
    ...(dialect.acceptsReturnProgress ? { return_progress: true } : {}),
  };
}

/**
 * llama.cpp's OpenAI answer does not say which stop string matched, unless asked `verbose`: its
 * `__verbose` then carries `stop_type` and `stopping_word`. It also echoes the rendered prompt,
 * so it is asked only when stop sequences were given and the conversation is small enough that
 * the echo stays a fraction of the SSE event limit (a larger one falls back to naming a single
 * stop sequence, or none).
 */
function stoppingWordReport(stopSequences: readonly string[], dialect: Dialect, messages: unknown): Partial<OpenAiChatRequest> {
  if (stopSequences.length === 0 || !dialect.acceptsVerbose) return {};
  return JSON.stringify(messages ?? null).length <= MAX_VERBOSE_PROMPT_CHARS ? { verbose: true } : {};
}

/** Largest conversation (JSON characters) for which `verbose` is asked: its echo must stay small. */
export const MAX_VERBOSE_PROMPT_CHARS = 1_000_000;

/**
 * `output_config.format` json_schema → `response_format` json_schema (§7.2). OpenAI requires a
 * name; `strict` is left out because OpenAI's strict mode needs a schema rewrite we do not do.
 */
function responseFormat(outputConfig: unknown): Partial<OpenAiChatRequest> {
  if (!isRecord(outputConfig) || !isRecord(outputConfig.format)) return {};
  const { format } = outputConfig;
  if (format.type !== 'json_schema' || !isRecord(format.schema)) return {};
  // Shared, not copied: translators treat the client's request as immutable (specs deep-freeze it).
  const schema = format.schema as Record<string, unknown>;
  return { response_format: { type: 'json_schema', json_schema: { name: 'output', schema } } };
}

/** `metadata.user_id` → `user` where accepted; it is opaque (Claude Code sends JSON text). */
function user(metadata: unknown, dialect: Dialect): Partial<OpenAiChatRequest> {
  if (!dialect.acceptsUser || !isRecord(metadata)) return {};
  const userId = metadata.user_id;
  return typeof userId === 'string' && userId !== '' ? { user: userId } : {};
}

/**
 * Anthropic Messages request → Ollama `/api/chat` request (docs/protocol.md §8.1).
 *
 * The conversation is converted exactly as for OpenAI Chat (§7.3, shared code): system entries
 * folded, tool results first and one per `tool_result`, adjacent turns merged, tool pairing
 * repaired. Only the rendering differs (render-messages.ts). The same drop/map rule holds
 * (ARCHITECTURE.md "Unknown fields and blocks"): fields with an Ollama meaning are mapped (model,
 * system, messages, max_tokens, temperature, top_p, top_k, stop_sequences, stream, tools,
 * tool_choice, thinking, output_config); everything else is dropped (metadata, cache_control,
 * service_tier, server tools, fields unknown today). A 400 only for what exists, matters and
 * cannot be expressed: URL or Files API images, PDF documents, max_tokens 0, a tool_choice
 * naming no translated tool.
 */
import { isRecord, type AnthropicRequest, type OllamaChatRequest } from '@turnout/protocol';
import { convertConversation, type ConversionPolicy } from '../anthropic-openai-chat/message-conversion';
import { recordsOf } from '../anthropic-openai-chat/narrow';
import { mapTools } from '../anthropic-openai-chat/tool-mapping';
import { createToolNameMap, type ToolNameMap } from '../tool-names';
import type { TranslateContext } from '../translator';
import { mapThink } from './think-mapping';
import { emulateToolChoice } from './tool-choice-emulation';
import { runnerOptions } from './runner-options';
import { renderOllamaMessages } from './render-messages';

export interface OllamaChatRequestTranslation {
  readonly body: OllamaChatRequest;
  /** Shortened tool names, to restore the client's names in the response. */
  readonly toolNames: ToolNameMap;
}

/**
 * Ollama takes images only as inline base64 ("Only base64 images are supported" in its own
 * adapter), and reads reasoning history from `thinking` on every model.
 */
const OLLAMA_CONVERSION: ConversionPolicy = { imageUrls: false, reasoning: true };

/** Pure and deterministic: never mutates `request`; the same inputs give a deep-equal body. */
export function toOllamaChatRequest(request: AnthropicRequest, context: TranslateContext): OllamaChatRequestTranslation {
  const toolNames = createToolNameMap(recordsOf(request.tools), context.dialect.maxToolNameLength);
  const messages = Array.isArray(request.messages) ? request.messages : [];
  const conversation = convertConversation(request.system, messages, toolNames, OLLAMA_CONVERSION);
  const tools = emulateToolChoice(mapTools(request.tools, toolNames), request.tool_choice, toolNames);
  const think = mapThink(request.thinking, request.output_config);
  const format = outputFormat(request.output_config);
  const options = runnerOptions(request, context.contextWindow);

  const body: OllamaChatRequest = {
    model: context.upstreamModel,
    messages: renderOllamaMessages(conversation),
    ...(tools.length > 0 ? { tools } : {}),
    ...(think === undefined ? {} : { think }),
    ...(format === undefined ? {} : { format }),
    ...(options === undefined ? {} : { options }),
    // Ollama streams unless told otherwise (§8.1): always explicit, mirroring the client.
    stream: request.stream === true,
  };
  return { body, toolNames };
}

/** `output_config.format` json_schema → `format: <schema>` (Ollama constrains decoding to it). */
function outputFormat(outputConfig: unknown): Record<string, unknown> | undefined {
  if (!isRecord(outputConfig) || !isRecord(outputConfig.format)) return undefined;
  const { format } = outputConfig;
  if (format.type !== 'json_schema' || !isRecord(format.schema)) return undefined;
  // Shared, not copied: translators treat the client's request as immutable (specs deep-freeze it).
  return format.schema as Record<string, unknown>;
}

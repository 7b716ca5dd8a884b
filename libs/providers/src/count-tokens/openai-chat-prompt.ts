import { isRecord, type AnthropicRequest } from '@turnout/protocol';
import { anthropicToOpenAiChat } from '@turnout/translate';
import type { ProviderKind } from '../kinds/provider-kind';

/** The parts of an OpenAI Chat body that decide what a chat template renders. */
export interface OpenAiChatPrompt {
  readonly messages: unknown;
  readonly tools?: unknown;
  readonly chat_template_kwargs?: unknown;
}

/**
 * The request as translation would send it to this kind (same translator, same dialect), so
 * a tokenizer count matches what the upstream would really see. Undefined when the request
 * cannot be translated (a Files API image): then nothing exact can be said.
 */
export function openAiChatPrompt(request: AnthropicRequest, kind: ProviderKind, upstreamModel: string): OpenAiChatPrompt | undefined {
  let body: unknown;
  try {
    body = anthropicToOpenAiChat.begin(request, {
      requestId: 'count_tokens',
      requestedModel: request.model,
      upstreamModel,
      dialect: kind.dialect,
      newId: (prefix) => `${prefix}_count`,
    }).upstreamBody;
  } catch {
    return undefined;
  }
  if (!isRecord(body) || !Array.isArray(body.messages)) return undefined;
  return {
    messages: body.messages,
    ...(Array.isArray(body.tools) && body.tools.length > 0 ? { tools: body.tools } : {}),
    // enable_thinking changes what Qwen-style templates render (an empty <think></think> or not).
    ...(body.chat_template_kwargs !== undefined ? { chat_template_kwargs: body.chat_template_kwargs } : {}),
  };
}

import { GatewayError } from '@turnout/errors';
import { isRecord, type JsonRecord, type OpenAiChatCompletion } from '@turnout/protocol';
import type { UsageReport } from '../translator';

/** What the answer side needs besides the upstream's answer: names and time, injected so fixtures are exact. */
export interface ChatAnswerContext {
  /** The model the client asked for: every answer names it. */
  readonly requestedModel: string;
  /** Unix seconds for `created`. */
  readonly created: number;
  /** Usage in the final chunk only when the client asked (`stream_options.include_usage`), as OpenAI does. */
  readonly includeUsage: boolean;
}

export interface TranslatedChatCompletion {
  readonly body: OpenAiChatCompletion;
  readonly usage: UsageReport;
  readonly stopReason: string | null;
}

/** Anthropic `stop_reason` → OpenAI `finish_reason`. */
export function finishReasonOf(stopReason: unknown): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop'; // end_turn, stop_sequence, pause_turn
  }
}

/** Anthropic usage (input excludes cache reads and writes) → OpenAI usage (prompt includes them). */
export function chatUsageOf(usage: UsageReport): NonNullable<OpenAiChatCompletion['usage']> {
  const prompt = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadInputTokens },
  };
}

export function usageReportOf(usage: unknown): UsageReport {
  const record = isRecord(usage) ? usage : {};
  const n = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);
  return {
    inputTokens: n(record.input_tokens),
    outputTokens: n(record.output_tokens),
    cacheReadInputTokens: n(record.cache_read_input_tokens),
    cacheCreationInputTokens: n(record.cache_creation_input_tokens),
    reported: isRecord(usage),
  };
}

/**
 * A non-streaming Anthropic Message as a chat completion: text blocks joined into `content`,
 * thinking into `reasoning_content` (what llama.cpp and DeepSeek call it), `tool_use` blocks
 * into `tool_calls` with their input as a JSON string.
 */
export function anthropicMessageToChat(json: unknown, context: ChatAnswerContext): TranslatedChatCompletion {
  if (!isRecord(json) || !Array.isArray(json.content)) {
    throw new GatewayError('GW_UPSTREAM_PROTOCOL', { message: 'upstream: response is not an Anthropic Message' });
  }
  let text = '';
  let reasoning = '';
  const toolCalls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> = [];
  for (const block of json.content as unknown[]) {
    if (!isRecord(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    else if (block.type === 'thinking' && typeof block.thinking === 'string') reasoning += block.thinking;
    else if (block.type === 'tool_use') toolCalls.push(toolCallOf(block));
  }
  const usage = usageReportOf(json.usage);
  const message: Record<string, unknown> = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text, refusal: null };
  if (reasoning !== '') message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const body = {
    id: chatIdOf(json.id),
    object: 'chat.completion',
    created: context.created,
    model: context.requestedModel,
    choices: [{ index: 0, message, finish_reason: finishReasonOf(json.stop_reason), logprobs: null }],
    usage: chatUsageOf(usage),
  } as unknown as OpenAiChatCompletion;
  return { body, usage, stopReason: typeof json.stop_reason === 'string' ? json.stop_reason : null };
}

export function chatIdOf(messageId: unknown): string {
  return `chatcmpl-${typeof messageId === 'string' ? messageId.replace(/^msg_/, '') : 'turnout'}`;
}

function toolCallOf(block: JsonRecord): { id: string; type: 'function'; function: { name: string; arguments: string } } {
  return {
    id: typeof block.id === 'string' ? block.id : '',
    type: 'function',
    function: { name: typeof block.name === 'string' ? block.name : '', arguments: JSON.stringify(block.input ?? {}) },
  };
}

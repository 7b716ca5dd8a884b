import { GatewayError } from '@turnout/errors';
import { isRecord, type AnthropicStreamEvent, type OpenAiChatChunk, type StopReason } from '@turnout/protocol';
import type { StreamMachine, UsageReport } from '../translator';
import { chatIdOf, chatUsageOf, finishReasonOf, usageReportOf, type ChatAnswerContext } from './response';

/** The stream's own terminator, `data: [DONE]`. */
export const CHAT_DONE = '[DONE]';
export type ChatStreamItem = OpenAiChatChunk | typeof CHAT_DONE;

/** One chat stream item as its SSE frame: data-only, as OpenAI sends them. */
export function formatChatStreamItem(item: ChatStreamItem): string {
  return `data: ${item === CHAT_DONE ? CHAT_DONE : JSON.stringify(item)}\n\n`;
}

/**
 * Anthropic stream events → chat completion chunks, one machine per request: a role chunk at
 * `message_start`, a chunk per text / thinking / tool-argument delta (tool calls numbered in
 * the order their blocks start), the finish reason at `message_delta`, then the usage chunk
 * (when asked) and `[DONE]` at `message_stop`. A stream without `message_stop` is broken.
 */
export class AnthropicToChatStream implements StreamMachine<AnthropicStreamEvent, ChatStreamItem> {
  private id = chatIdOf(undefined);
  private readonly toolIndexByBlock = new Map<number, number>();
  private counts: Record<string, unknown> | undefined;
  private stop: string | null = null;
  private stopped = false;

  constructor(private readonly context: ChatAnswerContext) {}

  get usage(): UsageReport | undefined {
    return this.counts === undefined ? undefined : usageReportOf(this.counts);
  }

  get stopReason(): StopReason | null {
    return this.stop as StopReason | null;
  }

  push(event: AnthropicStreamEvent): readonly ChatStreamItem[] {
    if (this.stopped) return [];
    switch (event.type) {
      case 'message_start':
        this.id = chatIdOf(event.message.id);
        this.mergeUsage(event.message.usage);
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'content_block_start': {
        const block = event.content_block as unknown as Record<string, unknown>;
        if (block.type === 'tool_use') {
          const index = this.toolIndexByBlock.size;
          this.toolIndexByBlock.set(event.index, index);
          return [this.chunk({ tool_calls: [{ index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }] })];
        }
        if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') return [this.chunk({ content: block.text })];
        return [];
      }
      case 'content_block_delta': {
        const delta = event.delta as unknown as Record<string, unknown>;
        if (delta.type === 'text_delta' && typeof delta.text === 'string') return [this.chunk({ content: delta.text })];
        if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string') return [this.chunk({ reasoning_content: delta.thinking })];
        const index = this.toolIndexByBlock.get(event.index);
        if (delta.type === 'input_json_delta' && index !== undefined && typeof delta.partial_json === 'string' && delta.partial_json !== '') {
          return [this.chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] })];
        }
        return [];
      }
      case 'message_delta':
        this.mergeUsage(event.usage);
        if (typeof event.delta.stop_reason !== 'string') return [];
        this.stop = event.delta.stop_reason;
        return [this.chunk({}, finishReasonOf(this.stop))];
      case 'message_stop': {
        this.stopped = true;
        const out: ChatStreamItem[] = [];
        if (this.context.includeUsage) out.push(this.usageChunk());
        out.push(CHAT_DONE);
        return out;
      }
      case 'error':
        throw new GatewayError('GW_UPSTREAM_ERROR', { message: event.error.message });
      default:
        return []; // ping, content_block_stop, events newer than this code
    }
  }

  end(): readonly ChatStreamItem[] {
    if (!this.stopped) throw new GatewayError('GW_UPSTREAM_STREAM_ENDED');
    return [];
  }

  private mergeUsage(usage: unknown): void {
    if (!isRecord(usage)) return;
    const defined = Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== null && value !== undefined));
    this.counts = { ...this.counts, ...defined };
  }

  private chunk(delta: Record<string, unknown>, finishReason: string | null = null): OpenAiChatChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.context.created,
      model: this.context.requestedModel,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    } as unknown as OpenAiChatChunk;
  }

  private usageChunk(): OpenAiChatChunk {
    const usage = this.usage ?? usageReportOf(undefined);
    return { id: this.id, object: 'chat.completion.chunk', created: this.context.created, model: this.context.requestedModel, choices: [], usage: chatUsageOf(usage) } as OpenAiChatChunk;
  }
}

import { jsonClone } from './json-clone';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { AnthropicMessage, AnthropicStreamEvent, ContentBlock, OpenAiChatChunk, OpenAiChatCompletion } from '@turnout/protocol';

/**
 * Folds for the stream ≡ unary property (docs/style.md §7.2): `foldAnthropicStream` is what the SDK's
 * MessageStream accumulator builds from the events (docs/protocol.md §3.6), only stricter: a delta of
 * the wrong type, invalid tool JSON or a missing `message_stop` throws instead of being ignored.
 * `foldOpenAiChatStream` turns upstream chunks into the completion a non-streaming call would
 * have returned.
 */
export function foldAnthropicStream(events: readonly AnthropicStreamEvent[]): AnthropicMessage {
  let message: AnthropicMessage | undefined;
  const json = new Map<number, string>();
  let stopped = false;
  for (const event of events) {
    if (stopped) throw new Error(`fold: ${event.type} after message_stop`);
    if (event.type === 'error') throw new Error(`fold: stream error ${event.error.type}: ${event.error.message}`);
    if (event.type === 'ping') continue;
    if (event.type === 'message_start') {
      if (message) throw new Error('fold: duplicate message_start');
      message = jsonClone(event.message);
      continue;
    }
    if (!message) throw new Error(`fold: ${event.type} before message_start`);
    switch (event.type) {
      case 'content_block_start':
        message.content.push(jsonClone(event.content_block));
        if (event.content_block.type === 'tool_use') json.set(event.index, '');
        break;
      case 'content_block_delta':
        applyDelta(message.content, json, event);
        break;
      case 'content_block_stop': {
        const block = message.content[event.index];
        const buffer = json.get(event.index);
        // The SDK parses the joined fragments at the stop; an empty buffer means `{}` (§3.4).
        if (block?.type === 'tool_use' && buffer !== undefined) block.input = buffer === '' ? {} : JSON.parse(buffer);
        break;
      }
      case 'message_delta':
        message.stop_reason = event.delta.stop_reason;
        message.stop_sequence = event.delta.stop_sequence;
        message.stop_details = event.delta.stop_details;
        message.usage.output_tokens = event.usage.output_tokens;
        if (event.usage.input_tokens != null) message.usage.input_tokens = event.usage.input_tokens;
        if (event.usage.cache_read_input_tokens != null) message.usage.cache_read_input_tokens = event.usage.cache_read_input_tokens;
        if (event.usage.cache_creation_input_tokens != null) message.usage.cache_creation_input_tokens = event.usage.cache_creation_input_tokens;
        if (event.usage.output_tokens_details != null) message.usage.output_tokens_details = event.usage.output_tokens_details;
        if (event.usage.server_tool_use != null) message.usage.server_tool_use = event.usage.server_tool_use;
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  if (!message) throw new Error('fold: no message_start');
  if (!stopped) throw new Error('fold: no message_stop');
  return message;
}

function applyDelta(content: ContentBlock[], json: Map<number, string>, event: Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>): void {
  const block = content[event.index];
  const delta = event.delta;
  const mismatch = (): Error => new Error(`fold: ${delta.type} for a ${block?.type ?? 'missing'} block at index ${event.index}`);
  switch (delta.type) {
    case 'text_delta':
      if (block?.type !== 'text') throw mismatch();
      block.text += delta.text;
      return;
    case 'citations_delta':
      if (block?.type !== 'text') throw mismatch();
      block.citations = [...(block.citations ?? []), delta.citation];
      return;
    case 'thinking_delta':
      if (block?.type !== 'thinking') throw mismatch();
      block.thinking += delta.thinking;
      return;
    case 'signature_delta':
      if (block?.type !== 'thinking') throw mismatch();
      block.signature = delta.signature;
      return;
    case 'input_json_delta': {
      const buffer = json.get(event.index);
      if (block?.type !== 'tool_use' || buffer === undefined) throw mismatch();
      json.set(event.index, buffer + delta.partial_json);
      return;
    }
  }
}

/**
 * The official SDK's own accumulator over the same events (`MessageStream.finalMessage()`), to
 * check the strict fold against the client that has the final word (docs/style.md rule 10).
 */
export async function sdkFinalMessage(events: readonly AnthropicStreamEvent[]): Promise<AnthropicMessage> {
  const body = new TextEncoder().encode(events.map((event) => `${JSON.stringify(event)}\n`).join(''));
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
  const final = await MessageStream.fromReadableStream(source).finalMessage();
  // Plain data again: the SDK installs `input` as a lazy getter and may add `parsed_output`.
  const { parsed_output: _parsed, ...plain } = JSON.parse(JSON.stringify(final)) as AnthropicMessage & { parsed_output?: unknown };
  return plain;
}

export type FoldableOpenAiItem = { readonly kind: 'chunk'; readonly chunk: OpenAiChatChunk } | { readonly kind: 'done' };

interface FoldedCall {
  id: string | undefined;
  name: string | undefined;
  arguments: string;
}

/**
 * Upstream chunks → the equivalent non-streaming completion: content, refusal and reasoning
 * concatenated (reasoning stored as `reasoning_content`, picked per chunk like the translator
 * does), tool calls keyed by index and id the way docs/protocol.md §7.7 prescribes (a new id under a
 * known index is a new call), listed in first-appearance order; last finish_reason and usage win.
 */
export function foldOpenAiChatStream(items: readonly FoldableOpenAiItem[]): OpenAiChatCompletion {
  let head: OpenAiChatChunk | undefined;
  let content: string | null = null;
  let refusal: string | null = null;
  let reasoning: string | null = null;
  let finishReason: string | null = null;
  let stopReason: unknown = undefined;
  let hasStopReason = false;
  /** llama.cpp's `__verbose` (asked with `verbose`), on the finish chunk: it goes on the completion. */
  let verbose: unknown = undefined;
  let usage: OpenAiChatChunk['usage'] = undefined;
  const calls: FoldedCall[] = [];
  const byKey = new Map<number, FoldedCall>();
  for (const item of items) {
    if (item.kind === 'done') break;
    const chunk = item.chunk;
    if (chunk.error !== undefined && chunk.error !== null) throw new Error(`fold: upstream error chunk ${JSON.stringify(chunk.error)}`);
    head ??= chunk;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.find((c) => c.index === 0 || c.index === undefined);
    if (!choice) continue;
    const delta = choice.delta ?? {};
    const thought = nonEmpty(delta.reasoning_content) ?? nonEmpty(delta.reasoning);
    if (thought !== undefined) reasoning = (reasoning ?? '') + thought;
    if (typeof delta.content === 'string' && delta.content !== '') content = (content ?? '') + delta.content;
    if (typeof delta.refusal === 'string' && delta.refusal !== '') refusal = (refusal ?? '') + delta.refusal;
    (delta.tool_calls ?? []).forEach((fragment, position) => {
      const key = typeof fragment.index === 'number' ? fragment.index : position;
      const id = nonEmpty(fragment.id);
      let call = byKey.get(key);
      if (!call || (id !== undefined && call.id !== undefined && call.id !== id)) {
        call = { id, name: undefined, arguments: '' };
        calls.push(call);
        byKey.set(key, call);
      }
      call.id ??= id;
      call.name ??= nonEmpty(fragment.function?.name);
      call.arguments += fragment.function?.arguments ?? '';
    });
    if (choice.finish_reason) {
      finishReason = choice.finish_reason;
      hasStopReason = 'stop_reason' in choice;
      stopReason = choice.stop_reason;
      verbose = (chunk as unknown as Record<string, unknown>).__verbose;
    }
  }
  const toolCalls = calls.map((call) => ({
    id: call.id ?? '',
    type: 'function' as const,
    function: { name: call.name ?? '', arguments: call.arguments },
  }));
  return {
    // A bare `[DONE]` folds to an empty completion; nothing downstream reads these three.
    id: head?.id ?? '',
    object: 'chat.completion',
    created: head?.created ?? 0,
    model: head?.model ?? '',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content,
          refusal,
          ...(reasoning === null ? {} : { reasoning_content: reasoning }),
          ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls }),
        },
        // A stream that ended with [DONE] but no finish_reason translates like `stop`.
        finish_reason: (finishReason ?? 'stop') as OpenAiChatCompletion['choices'][number]['finish_reason'],
        logprobs: null,
        ...(hasStopReason ? { stop_reason: stopReason as string | number | null } : {}),
      },
    ],
    ...(usage ? { usage } : {}),
    ...(verbose === undefined ? {} : { __verbose: verbose }),
  };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

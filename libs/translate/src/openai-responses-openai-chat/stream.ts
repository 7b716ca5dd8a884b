import { GatewayError } from '@turnout/errors';
import { isRecord, type JsonRecord, type StopReason } from '@turnout/protocol';
import type { OpenAiStreamItem } from '../anthropic-openai-chat/decode';
import type { StreamMachine, UsageReport } from '../translator';
import {
  functionCallItem,
  itemId,
  messageItem,
  outputText,
  reasoningItem,
  responseObject,
  responsesUsageOf,
  statusOf,
  type OutputItem,
  type ResponsesContext,
} from './response';

/** One Responses stream event; `type` is its SSE event name. */
export type ResponsesEvent = { readonly type: string; readonly sequence_number: number } & JsonRecord;

interface OpenItem {
  readonly index: number;
  readonly id: string;
  readonly kind: 'message' | 'reasoning' | 'function_call';
  text: string;
  callId?: string;
  name?: string;
  closed: boolean;
}

/**
 * Chat completion chunks → the Responses event grammar (issue 17), one machine per request:
 * `response.created` and `response.in_progress` first; each output item opened with
 * `response.output_item.added` (a message also gets `response.content_part.added`), filled by
 * `response.output_text.delta` / `response.reasoning_text.delta` /
 * `response.function_call_arguments.delta`, closed by its `…done` events; at the end
 * `response.completed` (or `response.incomplete` when the length ran out) with the whole
 * Response and its usage. Every event has its `sequence_number`, every item event its
 * `output_index` and `item_id`: what the openai SDK's stream reader requires.
 */
export class ChatToResponsesStream implements StreamMachine<OpenAiStreamItem, ResponsesEvent> {
  private sequence = 0;
  private started = false;
  private readonly items: OpenItem[] = [];
  private readonly toolItems = new Map<number, OpenItem>();
  private current: OpenItem | undefined;
  private finishReason: string | null = null;
  private usageJson: JsonRecord | null = null;
  private finished = false;

  constructor(private readonly context: ResponsesContext) {}

  /** Usage is reported by the chat exchange underneath; this machine only words it. */
  get usage(): UsageReport | undefined {
    return undefined;
  }

  get stopReason(): StopReason | null {
    return null;
  }

  push(item: OpenAiStreamItem): readonly ResponsesEvent[] {
    const chunk = item.kind === 'chunk' ? (item.chunk as unknown as JsonRecord) : undefined;
    // Before any numbering: a throw emits nothing, so the failure events follow the last sent.
    if (chunk !== undefined && chunk.error !== undefined && chunk.error !== null) {
      const error = isRecord(chunk.error) ? chunk.error : {};
      throw new GatewayError('GW_UPSTREAM_ERROR', { message: typeof error.message === 'string' ? error.message : 'The upstream reported an error' });
    }
    const out = this.start();
    if (chunk === undefined || this.finished) return out;
    if (isRecord(chunk.usage)) this.usageJson = responsesUsageOf(chunk.usage);
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (!isRecord(choice)) return out;
    const delta = isRecord(choice.delta) ? choice.delta : {};
    const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : typeof delta.reasoning === 'string' ? delta.reasoning : '';
    if (reasoning !== '') this.text('reasoning', reasoning, out);
    if (typeof delta.content === 'string' && delta.content !== '') this.text('message', delta.content, out);
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) if (isRecord(call)) this.toolCall(call, out);
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    return out;
  }

  end(): readonly ResponsesEvent[] {
    if (this.finishReason === null) throw new GatewayError('GW_UPSTREAM_STREAM_ENDED');
    const out = this.start();
    for (const item of this.items) this.close(item, out);
    this.finished = true;
    const status = statusOf(this.finishReason);
    out.push(this.event(status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: this.response(status) }));
    return out;
  }

  /**
   * The stream's last words when it fails after the 200: `response.failed` with the error in
   * the Response, then the `error` event, both numbered after what was sent.
   */
  fail(code: string, message: string): readonly ResponsesEvent[] {
    const out = this.start();
    this.finished = true;
    out.push(this.event('response.failed', { response: this.response('failed', { code, message }) }));
    out.push(this.event('error', { code, message, param: null }));
    return out;
  }

  private start(): ResponsesEvent[] {
    if (this.started) return [];
    this.started = true;
    const response = this.response('in_progress');
    return [this.event('response.created', { response }), this.event('response.in_progress', { response })];
  }

  private text(kind: 'message' | 'reasoning', text: string, out: ResponsesEvent[]): void {
    let item = this.current;
    if (item === undefined || item.kind !== kind || item.closed) {
      if (item !== undefined && item.kind !== 'function_call') this.close(item, out);
      item = this.open(kind, out);
    }
    item.text += text;
    const type = kind === 'message' ? 'response.output_text.delta' : 'response.reasoning_text.delta';
    out.push(this.event(type, { item_id: item.id, output_index: item.index, content_index: 0, delta: text, ...(kind === 'message' ? { logprobs: [] } : {}) }));
  }

  private toolCall(call: JsonRecord, out: ResponsesEvent[]): void {
    const index = typeof call.index === 'number' ? call.index : 0;
    const fn = isRecord(call.function) ? call.function : {};
    const id = typeof call.id === 'string' && call.id !== '' ? call.id : undefined;
    let item = this.toolItems.get(index);
    // A new id under a known index is a new call (docs/protocol.md §7.7: some servers reuse index 0).
    if (item === undefined || (id !== undefined && item.callId !== undefined && item.callId !== item.id && item.callId !== id)) {
      if (this.current !== undefined && this.current.kind !== 'function_call') this.close(this.current, out);
      item = this.open('function_call', out, id, typeof fn.name === 'string' ? fn.name : '');
      this.toolItems.set(index, item);
    }
    // Some servers send the name in a later fragment than the id.
    if (item.name === '' && typeof fn.name === 'string') item.name = fn.name;
    if (typeof fn.arguments === 'string' && fn.arguments !== '') {
      item.text += fn.arguments;
      out.push(this.event('response.function_call_arguments.delta', { item_id: item.id, output_index: item.index, delta: fn.arguments }));
    }
  }

  private open(kind: OpenItem['kind'], out: ResponsesEvent[], callId?: string, name?: string): OpenItem {
    const index = this.items.length;
    const prefix = kind === 'message' ? 'msg' : kind === 'reasoning' ? 'rs' : 'fc';
    const item: OpenItem = { index, id: itemId(this.context, prefix, index), kind, text: '', closed: false };
    if (kind === 'function_call') {
      item.callId = callId ?? item.id;
      item.name = name ?? '';
    }
    this.items.push(item);
    this.current = item;
    out.push(this.event('response.output_item.added', { output_index: index, item: this.itemJson(item, 'in_progress') }));
    if (kind !== 'function_call') {
      const part = kind === 'message' ? outputText('') : { type: 'reasoning_text', text: '' };
      out.push(this.event('response.content_part.added', { item_id: item.id, output_index: index, content_index: 0, part }));
    }
    return item;
  }

  private close(item: OpenItem, out: ResponsesEvent[]): void {
    if (item.closed) return;
    item.closed = true;
    const where = { item_id: item.id, output_index: item.index };
    if (item.kind === 'message') {
      out.push(this.event('response.output_text.done', { ...where, content_index: 0, text: item.text, logprobs: [] }));
      out.push(this.event('response.content_part.done', { ...where, content_index: 0, part: outputText(item.text) }));
    } else if (item.kind === 'reasoning') {
      out.push(this.event('response.reasoning_text.done', { ...where, content_index: 0, text: item.text }));
      out.push(this.event('response.content_part.done', { ...where, content_index: 0, part: { type: 'reasoning_text', text: item.text } }));
    } else {
      out.push(this.event('response.function_call_arguments.done', { ...where, name: item.name, arguments: item.text }));
    }
    out.push(this.event('response.output_item.done', { output_index: item.index, item: this.itemJson(item, 'completed') }));
  }

  private itemJson(item: OpenItem, status: 'in_progress' | 'completed'): OutputItem {
    if (item.kind === 'message') return messageItem(item.id, item.text, status);
    if (item.kind === 'reasoning') return reasoningItem(item.id, status === 'in_progress' ? undefined : item.text, status);
    return functionCallItem(item.id, item.callId ?? item.id, item.name ?? '', status === 'in_progress' ? '' : item.text, status);
  }

  private response(status: 'in_progress' | 'completed' | 'incomplete' | 'failed', error: { code: string; message: string } | null = null): JsonRecord {
    const output = status === 'in_progress' ? [] : this.items.map((item) => this.itemJson(item, item.closed ? 'completed' : 'in_progress'));
    return responseObject(this.context, status, output, status === 'in_progress' ? null : this.usageJson, error);
  }

  private event(type: string, fields: JsonRecord): ResponsesEvent {
    return { type, sequence_number: this.sequence++, ...fields };
  }
}

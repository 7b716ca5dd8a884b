import { isRecord, type AnthropicStreamEvent } from '@turnout/protocol';

/**
 * Asserts that an Anthropic event sequence is one clients accept (docs/protocol.md §3.2–§3.6, the
 * invariants of §7.7 rule 6), and throws an Error naming the first offending event otherwise.
 *
 *   ping* ( message_start ( ping | block )* message_delta+ message_stop | … error )
 *   block = content_block_start (content_block_delta | ping)* content_block_stop
 *
 * - `message_start` is the first event other than `ping`, exactly once, with an empty `content`
 *   array (blocks are appended by index) and a `usage` object. Leading pings are allowed: a
 *   gateway may keep the connection alive while a slow upstream prefills (§3.6).
 * - Block indices are 0, 1, 2, … in start order; one open block at a time; deltas go to the open
 *   block and match its type (`text_delta`/`citations_delta` → text, `input_json_delta` →
 *   tool_use/server_tool_use, `thinking_delta`/`signature_delta` → thinking); blocks that
 *   arrive complete (redacted_thinking, server tool results) take no delta.
 * - thinking: the start carries a `signature` key, and exactly one `signature_delta` comes just
 *   before the stop (§3.5, §10 B1). tool_use: an id matching `^[a-zA-Z0-9_-]+$`, and the
 *   `input_json_delta` fragments join to one JSON object (or nothing) by the stop (§3.4).
 * - `message_delta`: no open block, a non-null `delta.stop_reason`, numeric `usage.output_tokens`.
 * - `message_stop` is last and follows a `message_delta`; `error` is terminal.
 */
export function assertAnthropicStreamGrammar(events: readonly AnthropicStreamEvent[]): void {
  const checker = new GrammarChecker();
  events.forEach((event, position) => checker.accept(event, position));
  checker.finish(events.length);
}

type Phase = 'before-start' | 'in-message' | 'after-delta' | 'stopped' | 'errored';

interface OpenBlock {
  readonly index: number;
  readonly type: string;
  sawSignature: boolean;
  json: string;
}

const DELTA_BLOCK_TYPES: Readonly<Record<string, readonly string[]>> = {
  text_delta: ['text'],
  citations_delta: ['text'],
  input_json_delta: ['tool_use', 'server_tool_use'],
  thinking_delta: ['thinking'],
  signature_delta: ['thinking'],
};

const TOOL_ID = /^[a-zA-Z0-9_-]+$/;

class GrammarChecker {
  private phase: Phase = 'before-start';
  private nextIndex = 0;
  private open: OpenBlock | null = null;
  private position = 0;

  accept(event: AnthropicStreamEvent, position: number): void {
    this.position = position;
    if (this.phase === 'stopped') this.fail(event, 'event after message_stop (message_stop must be last)');
    if (this.phase === 'errored') this.fail(event, 'event after error (error is terminal)');
    switch (event.type) {
      case 'ping':
        return;
      case 'error':
        this.phase = 'errored';
        return;
      case 'message_start':
        return this.messageStart(event);
      case 'content_block_start':
        return this.blockStart(event);
      case 'content_block_delta':
        return this.blockDelta(event);
      case 'content_block_stop':
        return this.blockStop(event);
      case 'message_delta':
        return this.messageDelta(event);
      case 'message_stop':
        if (this.phase !== 'after-delta') this.fail(event, 'message_stop without a preceding message_delta');
        this.phase = 'stopped';
        return;
      default:
        this.fail(event, 'unknown event type');
    }
  }

  finish(count: number): void {
    if (this.phase === 'stopped' || this.phase === 'errored') return;
    const what = this.phase === 'before-start' ? 'no message_start' : this.open ? `block ${this.open.index} never stopped and no message_stop` : 'no message_stop';
    throw new Error(`Anthropic stream grammar: stream of ${count} events ended with ${what}`);
  }

  private messageStart(event: Extract<AnthropicStreamEvent, { type: 'message_start' }>): void {
    if (this.phase !== 'before-start') this.fail(event, 'duplicate message_start');
    const message: unknown = event.message;
    if (!isRecord(message)) return this.fail(event, 'message_start without a message object');
    if (!Array.isArray(message.content) || message.content.length > 0) this.fail(event, 'message.content must be an empty array');
    if (!isRecord(message.usage)) this.fail(event, 'message.usage must be an object');
    this.phase = 'in-message';
  }

  private blockStart(event: Extract<AnthropicStreamEvent, { type: 'content_block_start' }>): void {
    this.requireInMessage(event);
    if (this.open) this.fail(event, `block ${this.open.index} is still open (one open block at a time)`);
    if (event.index !== this.nextIndex) this.fail(event, `index ${event.index}, expected ${this.nextIndex} (no gaps, no reuse)`);
    const block: unknown = event.content_block;
    if (!isRecord(block) || typeof block.type !== 'string') return this.fail(event, 'content_block without a type');
    if (block.type === 'thinking' && typeof block.signature !== 'string') this.fail(event, 'thinking block without a signature key');
    if (block.type === 'text' && typeof block.text !== 'string') this.fail(event, 'text block without text');
    if (block.type === 'tool_use') {
      if (typeof block.id !== 'string' || !TOOL_ID.test(block.id)) this.fail(event, `tool_use id ${JSON.stringify(block.id)} does not match ^[a-zA-Z0-9_-]+$`);
      if (typeof block.name !== 'string') this.fail(event, 'tool_use without a name');
      if (!isRecord(block.input)) this.fail(event, 'tool_use input must be an object');
    }
    this.open = { index: event.index, type: block.type, sawSignature: false, json: '' };
    this.nextIndex++;
  }

  private blockDelta(event: Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>): void {
    this.requireInMessage(event);
    const open = this.open;
    if (!open) return this.fail(event, 'delta outside an open block');
    if (event.index !== open.index) this.fail(event, `delta for index ${event.index} while block ${open.index} is open`);
    const delta: unknown = event.delta;
    const type = isRecord(delta) ? delta.type : undefined;
    const allowed = typeof type === 'string' ? DELTA_BLOCK_TYPES[type] : undefined;
    if (!allowed || !allowed.includes(open.type)) this.fail(event, `${String(type)} in a ${open.type} block`);
    if (open.sawSignature) this.fail(event, 'delta after signature_delta (the signature comes just before the stop)');
    if (event.delta.type === 'signature_delta') open.sawSignature = true;
    if (event.delta.type === 'input_json_delta') open.json += event.delta.partial_json;
  }

  private blockStop(event: Extract<AnthropicStreamEvent, { type: 'content_block_stop' }>): void {
    this.requireInMessage(event);
    const open = this.open;
    if (!open) return this.fail(event, 'content_block_stop without an open block');
    if (event.index !== open.index) this.fail(event, `stop for index ${event.index} while block ${open.index} is open`);
    if (open.type === 'thinking' && !open.sawSignature) this.fail(event, 'thinking block stopped without a signature_delta');
    if ((open.type === 'tool_use' || open.type === 'server_tool_use') && open.json !== '') {
      let input: unknown;
      try {
        input = JSON.parse(open.json);
      } catch {
        this.fail(event, `input_json_delta fragments do not form valid JSON: ${open.json}`);
      }
      if (!isRecord(input)) this.fail(event, `tool input is not a JSON object: ${open.json}`);
    }
    this.open = null;
  }

  private messageDelta(event: Extract<AnthropicStreamEvent, { type: 'message_delta' }>): void {
    if (this.phase !== 'in-message' && this.phase !== 'after-delta') this.fail(event, 'message_delta before message_start');
    if (this.open) this.fail(event, `message_delta while block ${this.open.index} is open`);
    const delta: unknown = event.delta;
    const usage: unknown = event.usage;
    if (!isRecord(delta) || typeof delta.stop_reason !== 'string') this.fail(event, 'message_delta without delta.stop_reason');
    if (!isRecord(usage) || typeof usage.output_tokens !== 'number') this.fail(event, 'message_delta without numeric usage.output_tokens');
    this.phase = 'after-delta';
  }

  private requireInMessage(event: AnthropicStreamEvent): void {
    if (this.phase === 'before-start') this.fail(event, 'event before message_start');
    if (this.phase === 'after-delta') this.fail(event, 'content block event after message_delta');
  }

  private fail(event: AnthropicStreamEvent, problem: string): never {
    const index = 'index' in event ? ` index ${event.index}` : '';
    throw new Error(`Anthropic stream grammar: event #${this.position} (${event.type}${index}): ${problem}`);
  }
}

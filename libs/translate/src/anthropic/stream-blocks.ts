import type { AnthropicStreamEvent, RawContentBlockStartEvent } from '@turnout/protocol';
import { textBlock, thinkingBlock, toolUseBlock } from './content-blocks';
import type { ToolCall } from './tool-call';

type OpenBlock =
  | { readonly kind: 'text' | 'thinking'; readonly index: number }
  | { readonly kind: 'tool_use'; readonly index: number; readonly call: ToolCall };

/**
 * The central block allocator (docs/protocol.md §10 C10): indices 0, 1, 2, … in start order, at most
 * one open block, every started block stopped exactly once, and each delta typed for the block
 * it goes into (§3.6 items 3–4). Starting a block closes the open one first, so a kind change
 * (reasoning after text, text after a tool call) always yields a new block (§3.5).
 */
export class BlockWriter {
  private nextIndex = 0;
  private open: OpenBlock | null = null;
  private toolBlocks = 0;
  /**
   * Leading whitespace of a text block that has not started yet. Models often emit "\n\n"
   * between reasoning and a tool call; as a block of its own it is an empty-looking text block
   * that Anthropic rejects when the history is replayed there (§10 D9). Held until real text
   * arrives (then sent with it, unchanged) and dropped if another kind of block starts first.
   */
  private heldWhitespace = '';

  constructor(private readonly out: AnthropicStreamEvent[]) {}

  get hasToolUse(): boolean {
    return this.toolBlocks > 0;
  }

  get openToolCall(): ToolCall | undefined {
    return this.open?.kind === 'tool_use' ? this.open.call : undefined;
  }

  appendThinking(thinking: string): void {
    if (this.open?.kind !== 'thinking') {
      this.close();
      this.heldWhitespace = '';
      this.emitStart('thinking', thinkingBlock(''));
    }
    this.emitThinkingDelta(thinking);
  }

  appendText(text: string): void {
    if (this.open?.kind === 'text') return this.emitTextDelta(text);
    this.heldWhitespace += text;
    if (this.heldWhitespace.trim() === '') return;
    const first = this.heldWhitespace;
    this.heldWhitespace = '';
    this.close();
    this.emitStart('text', textBlock(''));
    this.emitTextDelta(first);
  }

  startToolUse(call: ToolCall, id: string, name: string): void {
    const index = this.emitToolUseStart(id, name);
    this.open = { kind: 'tool_use', index, call };
    call.status = 'open';
    this.appendToolArguments(call);
  }

  /**
   * A call that arrived whole (Ollama sends complete calls, docs/protocol.md §8.3): start, the
   * arguments as one `input_json_delta` (emitting them whole is always valid, §3.4), stop.
   */
  addCompleteToolUse(id: string, name: string, input: Readonly<Record<string, unknown>>): void {
    const index = this.emitToolUseStart(id, name);
    this.out.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(input) } });
    this.out.push({ type: 'content_block_stop', index });
  }

  /** Sends what the call's scanner has released, if the call owns the open block. */
  appendToolArguments(call: ToolCall): void {
    if (this.openToolCall !== call) return;
    this.emitInputJson(call.arguments.release());
  }

  close(): void {
    const open = this.open;
    if (open === null) return;
    if (open.kind === 'thinking') this.emitSignature();
    if (open.kind === 'tool_use') {
      // The closing `}` (or `{}`) that makes the fragments one valid object (§3.4).
      this.emitInputJson(open.call.arguments.finish());
      open.call.status = 'closed';
    }
    this.out.push({ type: 'content_block_stop', index: open.index });
    this.open = null;
  }

  /** Closes the open block and drops held whitespace (a tool call follows, not text); returns the new index. */
  private emitToolUseStart(id: string, name: string): number {
    this.close();
    this.heldWhitespace = '';
    const index = this.nextIndex++;
    this.out.push({ type: 'content_block_start', index, content_block: toolUseBlock(id, name, {}) });
    this.toolBlocks++;
    return index;
  }

  private emitStart(kind: 'text' | 'thinking', block: RawContentBlockStartEvent['content_block']): void {
    const index = this.nextIndex++;
    this.out.push({ type: 'content_block_start', index, content_block: block });
    this.open = { kind, index };
  }

  private emitTextDelta(text: string): void {
    this.out.push({ type: 'content_block_delta', index: this.openIndex(), delta: { type: 'text_delta', text } });
  }

  private emitThinkingDelta(thinking: string): void {
    this.out.push({ type: 'content_block_delta', index: this.openIndex(), delta: { type: 'thinking_delta', thinking } });
  }

  /** Exactly one, just before the stop; no upstream has a real signature (§3.5, §10 B1). */
  private emitSignature(): void {
    this.out.push({ type: 'content_block_delta', index: this.openIndex(), delta: { type: 'signature_delta', signature: '' } });
  }

  private emitInputJson(partialJson: string): void {
    if (partialJson === '') return;
    this.out.push({ type: 'content_block_delta', index: this.openIndex(), delta: { type: 'input_json_delta', partial_json: partialJson } });
  }

  private openIndex(): number {
    if (this.open === null) throw new Error('BlockWriter: delta without an open block');
    return this.open.index;
  }
}

import type { ResponseFacts } from './response-facts';
import { finiteNumber, nonEmptyString, protocolError } from './response-json';
import { isRecord } from '@turnout/protocol';
import { clientToolName, ToolUseIds } from '../anthropic/tool-use-ids';
import type { BlockWriter } from '../anthropic/stream-blocks';
import { ToolCall } from '../anthropic/tool-call';

/**
 * Streamed `tool_calls` fragments → `tool_use` blocks (docs/protocol.md §7.7 rule 2).
 *
 * Calls are keyed by `index` and id: an unseen index, or a new id under a known index, starts a
 * new call (servers that reuse `index:0` for every parallel call, §10 C5), and every call has
 * its own argument buffer. Blocks start in the order calls first appear, which is also the order
 * a folded completion lists them, so the stream and the unary translation agree.
 *
 * Only one block may be open (§3.6 item 4), so a call becomes a block when it has a name and the
 * open call, if any, has finished its arguments object: sequential calls then stream live, while
 * truly interleaved ones wait, buffered, and go out whole when their turn comes or at the end.
 */
export class ToolCallTracker {
  private readonly calls: ToolCall[] = [];
  private readonly byKey = new Map<number, ToolCall>();
  private readonly ids: ToolUseIds;

  constructor(
    private readonly blocks: BlockWriter,
    newId: (prefix: 'toolu') => string,
    private readonly facts: ResponseFacts,
  ) {
    this.ids = new ToolUseIds(newId);
  }

  /** One `delta.tool_calls[position]` fragment. Returns whether it carried any output. */
  accept(fragment: unknown, position: number): boolean {
    if (!isRecord(fragment)) throw protocolError('The upstream sent a tool call fragment that is not an object');
    const fn = isRecord(fragment.function) ? fragment.function : {};
    const id = nonEmptyString(fragment.id);
    const name = nonEmptyString(fn.name);
    const args = typeof fn.arguments === 'string' ? fn.arguments : '';

    const call = this.callFor(finiteNumber(fragment.index) ?? position, id);
    if (call.name === undefined) call.name = name;
    // A closed call's block is final; the scanner ignores what comes after its object
    // (the arguments policy in response-tool-arguments.ts).
    call.arguments.push(args);
    this.blocks.appendToolArguments(call);
    this.advance();
    return name !== undefined || args !== '';
  }

  /** At the end: every waiting call becomes a complete block, in order; unnamed ones as `''`. */
  finishAll(): void {
    for (const call of this.calls) {
      if (call.status === 'waiting') this.start(call);
    }
    this.blocks.close();
  }

  private callFor(key: number, id: string | undefined): ToolCall {
    const known = this.byKey.get(key);
    if (known !== undefined && (id === undefined || known.upstreamId === undefined || known.upstreamId === id)) {
      known.upstreamId ??= id;
      return known;
    }
    const call = new ToolCall(key, id);
    this.calls.push(call);
    this.byKey.set(key, call);
    return call;
  }

  private advance(): void {
    for (;;) {
      const next = this.calls.find((call) => call.status === 'waiting');
      if (next === undefined || next.name === undefined) return;
      const open = this.blocks.openToolCall;
      // An open call whose object is still incomplete keeps the block: its next fragment may
      // be on the way (interleaved calls), and a stopped block cannot take more input.
      if (open !== undefined && !open.arguments.settled) return;
      this.start(next);
    }
  }

  private start(call: ToolCall): void {
    this.blocks.startToolUse(call, this.ids.assign(call.upstreamId), clientToolName(call.name, this.facts));
  }
}

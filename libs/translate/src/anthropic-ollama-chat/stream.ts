import { GatewayError } from '@turnout/errors';
import { isRecord, type AnthropicStreamEvent, type OllamaChatStreamLine, type StopReason } from '@turnout/protocol';
import type { StreamMachine, TranslateContext, UsageReport } from '../translator';
import { nonEmptyString, protocolError, upstreamReportedError } from '../anthropic-openai-chat/response-json';
import { ToolUseIds } from '../anthropic/tool-use-ids';
import { estimateTokensFromText } from '../anthropic/usage';
import { BlockWriter } from '../anthropic/stream-blocks';
import { messageEndEvents, messageStartEvent } from '../anthropic/message-events';
import type { OllamaResponseFacts } from './response-facts';
import { outputCharacters, readMessageParts, type OllamaCall } from './response-message-parts';
import { stopFromDoneReason } from './response-stop-reason';
import { estimatedStartUsage, usageFromOllama } from './response-usage';

/** A fresh machine for one response stream (docs/protocol.md §8.3). Never share one between requests. */
export function createOllamaChatToAnthropicStream(
  context: TranslateContext,
  facts: OllamaResponseFacts,
): StreamMachine<OllamaChatStreamLine, AnthropicStreamEvent> {
  return new OllamaChatToAnthropicStream(context, facts);
}

/**
 * Ollama NDJSON lines → Anthropic stream events. Per line the order is thinking, content, tool
 * calls, then the end if the line says `done`. Blocks go through the shared allocator, which
 * closes an open text block before thinking starts and thinking before a tool call (both were
 * bugs in Ollama's own adapter: ollama commit 794a25411 / PR #17225, #14816). Tool calls arrive
 * whole, so each becomes a complete block at once.
 */
class OllamaChatToAnthropicStream implements StreamMachine<OllamaChatStreamLine, AnthropicStreamEvent> {
  private readonly out: AnthropicStreamEvent[] = [];
  private readonly blocks = new BlockWriter(this.out);
  private readonly ids: ToolUseIds;
  /** Keys of the calls already emitted, so a call Ollama repeats becomes one block. */
  private readonly emittedCalls = new Set<string>();
  private messageStarted = false;
  private finished = false;
  private outputCharacters = 0;
  private finalUsage: UsageReport | undefined;
  private finalStopReason: StopReason | null = null;

  constructor(
    private readonly context: TranslateContext,
    private readonly facts: OllamaResponseFacts,
  ) {
    this.ids = new ToolUseIds(context.newId);
  }

  /** Known once the `done` line has arrived: Ollama reports metrics only there. */
  get usage(): UsageReport | undefined {
    return this.finalUsage;
  }

  get stopReason(): StopReason | null {
    return this.finalStopReason;
  }

  push(line: OllamaChatStreamLine): readonly AnthropicStreamEvent[] {
    // Nothing follows the done line: the decoder stops reading there.
    if (this.finished) return [];
    if (!isRecord(line)) throw protocolError('The upstream sent a stream line that is not an object');
    // Thrown before message_start when it is the first line, so the gateway can still answer with
    // an HTTP error status; after that the gateway writes `event: error` (§3.8, §8.3).
    if (line.error !== undefined && line.error !== null) throw upstreamReportedError(line.error);
    if (!this.messageStarted) this.emitMessageStart();
    if (isRecord(line.message)) this.onMessage(line.message);
    else if (line.done !== true) throw protocolError('The upstream sent a stream line without a message');
    if (line.done === true) this.finish(line);
    return this.out.splice(0);
  }

  end(): readonly AnthropicStreamEvent[] {
    if (this.finished) return [];
    // Without the done line there is no stop reason and no usage; an invented end_turn would hide
    // a broken upstream (§7.7 rule 4).
    throw new GatewayError('GW_UPSTREAM_STREAM_ENDED', { message: 'The upstream stream ended before its done line' });
  }

  private onMessage(message: Readonly<Record<string, unknown>>): void {
    const parts = readMessageParts(message);
    if (parts.thinking !== '') this.blocks.appendThinking(parts.thinking);
    if (parts.content !== '') this.blocks.appendText(parts.content);
    const fresh = parts.toolCalls.filter((call) => this.isFirstSighting(call));
    for (const call of fresh) {
      this.blocks.addCompleteToolUse(this.ids.assign(call.id), this.facts.toolNames.toClient(call.name ?? ''), call.input);
    }
    this.outputCharacters += outputCharacters({ ...parts, toolCalls: fresh });
  }

  /**
   * §8.3: a call is the same call again when its id matches one already emitted, or, without an
   * id, its `function.index` (its position in the response). A call with neither cannot be told
   * apart from a second identical call, so it is always emitted.
   */
  private isFirstSighting(call: OllamaCall): boolean {
    const key = call.id !== undefined ? `id:${call.id}` : call.position !== undefined ? `index:${call.position}` : undefined;
    if (key === undefined) return true;
    if (this.emittedCalls.has(key)) return false;
    this.emittedCalls.add(key);
    return true;
  }

  private emitMessageStart(): void {
    this.messageStarted = true;
    this.out.push(messageStartEvent(this.context, estimatedStartUsage(this.facts.estimatedInputTokens)));
  }

  private finish(done: Readonly<Record<string, unknown>>): void {
    this.blocks.close();
    const stop = stopFromDoneReason(nonEmptyString(done.done_reason), this.blocks.hasToolUse);
    const usage = usageFromOllama(done, {
      inputTokens: this.facts.estimatedInputTokens,
      outputTokens: estimateTokensFromText(this.outputCharacters),
    });
    this.out.push(...messageEndEvents(stop, usage));
    this.finished = true;
    this.finalUsage = usage.report;
    this.finalStopReason = stop.stopReason;
  }
}

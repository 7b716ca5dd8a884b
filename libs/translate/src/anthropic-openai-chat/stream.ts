import { isRecord, type AnthropicStreamEvent, type OpenAiChatChunk, type StopReason } from '@turnout/protocol';
import { GatewayError } from '@turnout/errors';
import type { StreamMachine, TranslateContext, UsageReport } from '../translator';
import type { ResponseFacts } from './response-facts';
import { nonEmptyString, primaryChoice, protocolError, reasoningText, upstreamReportedError } from './response-json';
import { matchedStopOf, toAnthropicStop } from './response-stop-reason';
import { estimatedUsage, startUsage, type UsageFigures } from '../anthropic/usage';
import { usageFromOpenAi, usageFromPromptProgress } from './response-usage';
import { BlockWriter } from '../anthropic/stream-blocks';
import { messageEndEvents, messageStartEvent } from '../anthropic/message-events';
import type { OpenAiStreamItem } from './decode';
import { ToolCallTracker } from './stream-tool-calls';

/** A fresh machine for one response stream (docs/protocol.md §7.7). Never share one between requests. */
export function createOpenAiChatToAnthropicStream(
  context: TranslateContext,
  facts: ResponseFacts,
): StreamMachine<OpenAiStreamItem, AnthropicStreamEvent> {
  return new OpenAiChatToAnthropicStream(context, facts);
}

/**
 * OpenAI Chat chunks → Anthropic stream events. Per chunk the order is reasoning, content,
 * tool calls, finish_reason, usage: a chunk may carry content and `finish_reason` together and
 * the content must not be lost (§10 D3). The end (`message_delta` + `message_stop`) waits for
 * `[DONE]` or EOF after a finish_reason, because usage usually arrives after the finish chunk,
 * sometimes with `choices: []`, `null` or no `choices` key (§10 D4).
 */
class OpenAiChatToAnthropicStream implements StreamMachine<OpenAiStreamItem, AnthropicStreamEvent> {
  private readonly out: AnthropicStreamEvent[] = [];
  private readonly blocks = new BlockWriter(this.out);
  private readonly tools: ToolCallTracker;
  private messageStarted = false;
  private finished = false;
  private finishReason: string | null = null;
  private matchedStop: unknown = null;
  private refused = false;
  private reportedUsage: UsageFigures | undefined;
  /** The prompt's figures from llama.cpp's first `prompt_progress`, before any token. */
  private promptUsage: UsageFigures | undefined;
  /** Chunks that carried output: about one token each on llama.cpp and vLLM (§7.7 rule 7). */
  private outputChunks = 0;
  private finalUsage: UsageReport | undefined;
  private finalStopReason: StopReason | null = null;

  constructor(
    private readonly context: TranslateContext,
    private readonly facts: ResponseFacts,
  ) {
    this.tools = new ToolCallTracker(this.blocks, context.newId, facts);
  }

  get usage(): UsageReport | undefined {
    return this.finalUsage ?? this.reportedUsage?.report;
  }

  get stopReason(): StopReason | null {
    return this.finalStopReason;
  }

  push(item: OpenAiStreamItem): readonly AnthropicStreamEvent[] {
    // Nothing follows the terminator: the decoder stops reading at [DONE].
    if (this.finished) return [];
    if (item.kind === 'done') this.finish();
    else this.onChunk(item.chunk);
    return this.out.splice(0);
  }

  end(): readonly AnthropicStreamEvent[] {
    if (this.finished) return [];
    // EOF after a finish_reason is a normal end for servers that omit [DONE]; EOF before one is
    // a broken upstream, and an invented end_turn with zero usage would hide it (§7.7 rule 4).
    if (this.finishReason === null) {
      throw new GatewayError('GW_UPSTREAM_STREAM_ENDED', {
        message: 'The upstream stream ended before a finish_reason or [DONE]',
      });
    }
    this.finish();
    return this.out.splice(0);
  }

  private onChunk(chunk: OpenAiChatChunk): void {
    // Thrown before message_start when it is the first item, so the gateway can still answer
    // with an HTTP error status; after that the gateway writes `event: error` (§3.8).
    if (chunk.error !== undefined && chunk.error !== null) throw upstreamReportedError(chunk.error);
    // llama.cpp's prompt-progress chunks come before the first token and carry nothing else:
    // they only tell the prompt's size, which message_start reports (no event of their own, so
    // the reply is still committed by the first real chunk).
    const progress = usageFromPromptProgress((chunk as unknown as Readonly<Record<string, unknown>>).prompt_progress);
    if (progress !== undefined) {
      this.promptUsage ??= progress;
      return;
    }
    const usage = usageFromOpenAi(chunk.usage);
    if (!this.messageStarted) this.emitMessageStart(usage ?? this.promptUsage);
    const choice = primaryChoice(chunk.choices);
    if (choice !== undefined) this.onChoice(choice, chunk as unknown as Readonly<Record<string, unknown>>);
    if (usage !== undefined) this.reportedUsage = usage;
  }

  private onChoice(choice: Readonly<Record<string, unknown>>, chunk: Readonly<Record<string, unknown>>): void {
    const delta = isRecord(choice.delta) ? choice.delta : {};
    let output = false;
    const reasoning = reasoningText(delta);
    if (reasoning !== undefined) {
      this.blocks.appendThinking(reasoning);
      output = true;
    }
    const content = deltaText(delta.content, 'content');
    if (content !== '') {
      this.blocks.appendText(content);
      output = true;
    }
    const refusal = deltaText(delta.refusal, 'refusal');
    if (refusal !== '') {
      // OpenAI's refusal is text for the user; Anthropic has no separate channel (§7.6).
      this.blocks.appendText(refusal);
      this.refused = true;
      output = true;
    }
    output = this.onToolCalls(delta.tool_calls) || output;
    if (output) this.outputChunks++;
    const finishReason = nonEmptyString(choice.finish_reason);
    if (finishReason !== undefined) {
      this.finishReason = finishReason;
      this.matchedStop = matchedStopOf(choice, chunk);
    }
  }

  private onToolCalls(fragments: unknown): boolean {
    if (fragments === undefined || fragments === null) return false;
    if (!Array.isArray(fragments)) throw protocolError('The upstream sent a non-array delta.tool_calls');
    let output = false;
    fragments.forEach((fragment, position) => {
      output = this.tools.accept(fragment, position) || output;
    });
    return output;
  }

  private emitMessageStart(usage: UsageFigures | undefined): void {
    this.messageStarted = true;
    this.out.push(messageStartEvent(this.context, startUsage(usage)));
  }

  private finish(): void {
    // A bare `data: [DONE]` still makes a well-formed (empty) message.
    if (!this.messageStarted) this.emitMessageStart(undefined);
    this.tools.finishAll();
    this.blocks.close();
    const usage = this.reportedUsage ?? withPromptFigures(estimatedUsage(this.outputChunks), this.promptUsage);
    const stop = toAnthropicStop(
      { finishReason: this.finishReason, matchedStop: this.matchedStop, hasToolUse: this.blocks.hasToolUse, refused: this.refused },
      this.facts.stopSequences,
    );
    this.out.push(...messageEndEvents(stop, usage));
    this.finished = true;
    this.finalUsage = usage.report;
    this.finalStopReason = stop.stopReason;
  }
}

function deltaText(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw protocolError(`The upstream sent a non-string delta.${field}`);
  return value;
}

/** An estimate for a stream without usage keeps the prompt figures prompt_progress reported. */
function withPromptFigures(estimate: UsageFigures, prompt: UsageFigures | undefined): UsageFigures {
  if (prompt === undefined) return estimate;
  return { report: { ...prompt.report, outputTokens: estimate.report.outputTokens, reported: false }, thinkingTokens: null };
}

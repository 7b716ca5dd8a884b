import { GatewayError } from '@turnout/errors';
import { isRecord } from '@turnout/protocol';
import { SseFrameReader, SseParseError, type SseFrame } from '@turnout/sse';
import type { UsageReport } from '@turnout/translate';
import { readOpenAiUsage } from './openai-chat-usage';
import { rewriteModelField } from './rewrite-model-field';
import { upstreamErrorEventAsGatewayError } from './upstream-error-event';

/** What the relay saw of an OpenAI chat stream, for logs, metrics and token limits. */
export class OpenAiChatStreamFacts {
  usage: UsageReport | undefined;
  finishReason: string | null = null;
  firstContentAt: number | undefined;
  sawDone = false;

  /** The finish reason, under the name every relayed stream's facts use. */
  get stopReason(): string | null {
    return this.finishReason;
  }
}

export interface OpenAiRelayOptions {
  readonly facts: OpenAiChatStreamFacts;
  /** The model name the client asked for, written into every chunk when the upstream's differs. */
  readonly rename?: string;
  readonly maxFrameBytes?: number;
  /**
   * The gateway asked for the usage chunk the client did not (`askStreamUsage`): it is read
   * for the records and not relayed, so the client sees the stream it asked for.
   */
  readonly hideUsageChunk?: boolean;
}

const DONE = '[DONE]';

/**
 * The passthrough relay for `/v1/chat/completions` (issue 17): an OpenAI-compatible upstream's
 * chunk stream as the client may see it. Per upstream read, the complete `data:` frames it
 * finished, byte for byte except `model` (renamed back to the client's name in each chunk, as
 * the unary body is). Comment frames (llama-server's keep-alives) are dropped: the writer
 * sends its own. Thrown as a GatewayError, after the good frames before it, and written by the
 * reply writer as OpenAI's error frame:
 * - a chunk carrying `error` (servers report mid-stream failures so);
 * - a data frame that is not a JSON object (the SDK would fail to parse it);
 * - a body that stops mid-frame, or ends with neither `[DONE]` nor a `finish_reason`.
 * Reading stops at `[DONE]`, so the client's stream ends with it.
 */
export async function* relayOpenAiChatFrames(body: AsyncIterable<Uint8Array>, options: OpenAiRelayOptions): AsyncGenerator<string> {
  const reader = new SseFrameReader(options.maxFrameBytes);
  const { facts, rename } = options;
  for await (const chunk of body) {
    let frames: SseFrame[];
    try {
      frames = reader.push(chunk);
    } catch (error) {
      throw asProtocolError(error);
    }
    let out = '';
    let failure: GatewayError | undefined;
    for (const frame of frames) {
      const data = frame.data;
      if (data === undefined || facts.sawDone) continue;
      if (data.trim() === DONE) {
        facts.sawDone = true;
        out += frame.raw;
        continue;
      }
      const parsed = parseObject(data);
      if (parsed === undefined) {
        failure = new GatewayError('GW_UPSTREAM_PROTOCOL', { message: 'The upstream sent a chunk that is not a JSON object' });
        break;
      }
      if (parsed.error !== undefined && parsed.error !== null) {
        failure = upstreamErrorEventAsGatewayError(data);
        break;
      }
      observe(parsed, facts);
      if (options.hideUsageChunk && isUsageOnly(parsed)) continue;
      out += rename === undefined ? frame.raw : renamed(data, parsed, rename);
    }
    if (out !== '') yield out;
    if (failure !== undefined) throw failure;
    // `[DONE]` ends the answer: the client's stream ends now, whatever the upstream does after.
    if (facts.sawDone) return;
  }
  const last = reader.end();
  if (last.partial !== undefined && last.partial.trim() !== '') {
    throw new GatewayError('GW_UPSTREAM_STREAM_ENDED', { message: 'The upstream stream ended in the middle of a chunk' });
  }
  if (!facts.sawDone && facts.finishReason === null) throw new GatewayError('GW_UPSTREAM_STREAM_ENDED');
}

function observe(chunk: Record<string, unknown>, facts: OpenAiChatStreamFacts): void {
  const usage = readOpenAiUsage(chunk.usage);
  if (usage !== undefined) facts.usage = usage;
  if (!Array.isArray(chunk.choices)) return;
  for (const choice of chunk.choices) {
    if (!isRecord(choice)) continue;
    if (typeof choice.finish_reason === 'string') facts.finishReason = choice.finish_reason;
    const delta = choice.delta;
    if (facts.firstContentAt === undefined && isRecord(delta) && hasContent(delta)) facts.firstContentAt = performance.now();
  }
}

/** The final usage chunk: `choices` empty, `usage` set. */
function isUsageOnly(chunk: Record<string, unknown>): boolean {
  return Array.isArray(chunk.choices) && chunk.choices.length === 0 && isRecord(chunk.usage);
}

function hasContent(delta: Record<string, unknown>): boolean {
  return (
    (typeof delta.content === 'string' && delta.content !== '') ||
    (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') ||
    (typeof delta.reasoning === 'string' && delta.reasoning !== '') ||
    Array.isArray(delta.tool_calls)
  );
}

function renamed(data: string, parsed: Record<string, unknown>, model: string): string {
  // A chunk spread over several `data:` lines cannot be edited into one line: it is re-serialized.
  if (/[\r\n]/.test(data)) return `data: ${JSON.stringify({ ...parsed, model })}\n\n`;
  return `data: ${rewriteModelField(Buffer.from(data, 'utf8'), model).toString('utf8')}\n\n`;
}

function parseObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isRecord(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function asProtocolError(error: unknown): unknown {
  if (!(error instanceof SseParseError)) return error;
  return new GatewayError('GW_UPSTREAM_PROTOCOL', { message: `The upstream event stream is malformed: ${error.message}`, cause: error });
}

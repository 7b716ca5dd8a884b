import { isRecord, type OpenAiChatChunk } from '@turnout/protocol';
import { parseSseBatches, SseParseError, type SseMessage } from '@turnout/sse';
import { decodeInBatches } from '../decode-in-batches';
import { ChunkShapeCache } from './chunk-shape-cache';
import { protocolError, upstreamReportedError } from './response-json';

/** One decoded upstream stream item: a chunk, or the `data: [DONE]` terminator. */
export type OpenAiStreamItem = { readonly kind: 'chunk'; readonly chunk: OpenAiChatChunk } | { readonly kind: 'done' };

/**
 * An OpenAI Chat Completions SSE body → items. Framing (CR/LF/CRLF, BOM, `:` comments, splits
 * anywhere) is parseSse's job (docs/style.md rule 4). Every data frame must be a JSON object: a frame
 * that is not becomes GW_UPSTREAM_PROTOCOL, never a silent skip, because a dropped chunk means
 * lost text or a corrupt tool call. Reading stops at `[DONE]`, the stream's own terminator.
 */
export async function* decodeOpenAiChatStream(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<OpenAiStreamItem> {
  for await (const batch of decodeOpenAiChatBatches(bytes)) yield* batch;
}

/**
 * decodeOpenAiChatStream, one array per network read (parseSseBatches). A bad frame still ends
 * the stream with its error, after the items that came before it in the same read.
 */
export async function* decodeOpenAiChatBatches(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<OpenAiStreamItem[]> {
  try {
    const shapes = new ChunkShapeCache();
    yield* decodeInBatches(parseSseBatches(bytes), (message) => decodeMessage(message, shapes), (item) => item.kind === 'done');
  } catch (error) {
    if (error instanceof SseParseError) throw protocolError(`The upstream event stream is malformed: ${error.message}`, error);
    throw error;
  }
}

function decodeMessage(message: SseMessage, shapes: ChunkShapeCache): OpenAiStreamItem {
  const data = message.data.trim();
  if (data === '[DONE]') return { kind: 'done' };
  const payload = parseFrame(data, (text) => shapes.parse(text));
  // OpenAI-compatible servers report mid-stream failures as `data: {"error":…}` (handled by
  // the stream machine); an explicit `event: error` frame is an error whatever its shape.
  if (message.event === 'error') throw upstreamReportedError(payload.error ?? payload);
  // `choices` may be absent, null or [] (usage-only chunks, §10 D4); anything else that is not
  // a list is not a chat completion chunk, and treating it as empty would fake an answer.
  const choices = payload.choices;
  if (choices !== undefined && choices !== null && !Array.isArray(choices) && payload.error === undefined) {
    throw protocolError(`The upstream sent a stream chunk whose choices is not a list: ${preview(data)}`);
  }
  return { kind: 'chunk', chunk: payload as OpenAiChatChunk };
}

/**
 * One stream frame (an SSE `data:` payload, an NDJSON line) as a JSON object; anything else is
 * GW_UPSTREAM_PROTOCOL naming what arrived (shortened), never a silent skip.
 */
export function parseFrame(data: string, parse: (text: string) => unknown = JSON.parse): Readonly<Record<string, unknown>> {
  let value: unknown;
  try {
    value = parse(data);
  } catch (error) {
    throw protocolError(`The upstream sent a stream frame that is not JSON: ${preview(data)}`, error);
  }
  if (!isRecord(value)) throw protocolError(`The upstream sent a stream frame that is not a JSON object: ${preview(data)}`);
  return value;
}

function preview(data: string): string {
  return data.length > 200 ? `${data.slice(0, 200)}…` : data;
}

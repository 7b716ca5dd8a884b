import { SseFrameReader } from './sse-frame-reader';

export { SseParseError } from './sse-parse-error';

export interface SseMessage {
  /** The `event:` field, or undefined for data-only events (OpenAI chunks). */
  readonly event: string | undefined;
  /** The `data:` lines joined with `\n`, as the SSE spec says. */
  readonly data: string;
}

export interface ParseSseOptions {
  /** Largest event (in bytes) the reader will buffer before failing; guards memory. */
  readonly maxEventSize?: number;
}

/**
 * Parses a `text/event-stream` body into events, whatever the chunk boundaries: UTF-8 split
 * across reads, CR, LF and CRLF line ends (a CR and its LF in different reads too), a leading
 * BOM, comments and multi-line `data:`. Built on the project's one SSE reader
 * (`SseFrameReader`); an unterminated last event is dropped, as the WHATWG spec requires.
 */
export async function* parseSse(
  bytes: AsyncIterable<Uint8Array>,
  options: ParseSseOptions = {},
): AsyncGenerator<SseMessage> {
  for await (const batch of parseSseBatches(bytes, options)) yield* batch;
}

/**
 * parseSse, but one array per network read: every event completed by that read, in order
 * (reads that complete none yield nothing). The translation hot path works per batch, so a fast
 * upstream whose frames arrive many to a read costs one pass through the stream layers and one
 * client write per read, not per token; a slow upstream (one frame per read) is unchanged.
 */
export async function* parseSseBatches(
  bytes: AsyncIterable<Uint8Array>,
  options: ParseSseOptions = {},
): AsyncGenerator<SseMessage[]> {
  const reader = new SseFrameReader(options.maxEventSize);
  for await (const chunk of bytes) {
    const batch = messagesOf(reader.push(chunk));
    if (batch.length > 0) yield batch;
  }
  const last = messagesOf(reader.end().frames);
  if (last.length > 0) yield last;
}

/** Frames without a `data` field dispatch nothing (comments, a lone `event:` line). */
function messagesOf(frames: ReturnType<SseFrameReader['push']>): SseMessage[] {
  const messages: SseMessage[] = [];
  for (const frame of frames) {
    // The frame's own fields object: no second object per event.
    const fields = frame.fields();
    if (fields.data !== undefined) messages.push(fields as SseMessage);
  }
  return messages;
}

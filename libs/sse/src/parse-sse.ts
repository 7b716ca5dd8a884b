import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseMessage {
  /** The `event:` field, or undefined for data-only events (OpenAI chunks). */
  readonly event: string | undefined;
  /** The `data:` lines joined with `\n`, as the SSE spec says. */
  readonly data: string;
}

export interface ParseSseOptions {
  /** Largest event (in characters) the parser will buffer before failing; guards memory. */
  readonly maxEventSize?: number;
}

/** Raised when the byte stream cannot be a valid event stream (an event over the size cap). */
export class SseParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SseParseError';
  }
}

const DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024;

/**
 * Parses a `text/event-stream` body into events, whatever the chunk boundaries: it decodes
 * UTF-8 across chunk splits, accepts CR, LF and CRLF line ends (including a CR and its LF in
 * different chunks), a leading BOM, comments and multi-line `data:`. Built on
 * eventsource-parser, which follows the WHATWG spec; an unterminated last event is dropped,
 * as the spec requires.
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
  const decoder = new TextDecoder('utf-8');
  let ready: SseMessage[] = [];
  let failure: Error | undefined;
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => ready.push({ event: message.event, data: message.data }),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') failure = new SseParseError(error.message);
    },
    maxBufferSize: options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE,
  });
  // eventsource-parser holds back a CR that ends its input, waiting to see whether an LF follows
  // (CRLF is one line end). At the end of the body nothing follows, so that CR is a line end by
  // itself; without this, a CR-only stream loses its last event. Feeding the LF completes the
  // pair, which is the same single line end.
  let endsWithCr = false;
  const feed = (text: string): void => {
    if (text === '') return;
    endsWithCr = text.endsWith('\r');
    parser.feed(text);
  };
  const take = (): SseMessage[] => {
    const batch = ready;
    ready = [];
    return batch;
  };
  for await (const chunk of bytes) {
    feed(decoder.decode(chunk, { stream: true }));
    if (failure) throw failure;
    if (ready.length > 0) yield take();
  }
  feed(decoder.decode());
  if (endsWithCr && !failure) parser.feed('\n');
  if (failure) throw failure;
  if (ready.length > 0) yield take();
}

import { SseParseError } from './sse-parse-error';
import { Utf8StreamDecoder } from './utf8-stream-decoder';

/**
 * The one `text/event-stream` reader of the project. It cuts a byte stream into complete frames
 * (an event and the blank line that ends it) and keeps each frame's text exactly as it arrived,
 * so the same reader serves the passthrough relay (which forwards whole frames, never half of
 * one), the passthrough tap and the translation decoders (which read the fields).
 *
 * Each read is decoded once (UTF-8, also when a character is split between reads) and frames
 * are found with string searches, which V8 runs without leaving JavaScript: measured against
 * eventsource-parser and a byte-level version of this reader in docs/decisions/0001. Line ends
 * follow the WHATWG rules: LF, CRLF or CR, also when a CR and its LF arrive in different reads.
 * Streams without a CR (llama.cpp, vLLM, OpenAI, Anthropic) take a fast path: one
 * `indexOf("\n\n")` per frame. A frame's fields are parsed only when someone reads them.
 */
export class SseFrameReader {
  private readonly decoder = new Utf8StreamDecoder();
  /** Text of the frame being received. */
  private pending = '';
  /** Where the search for the end of the pending frame resumes (everything before has no end). */
  private searchFrom = 0;
  /** Once a CR is seen, every later frame boundary is searched line by line. */
  private sawCr = false;
  private atStreamStart = true;
  /** The bytes read so far end exactly where a frame ends (nothing held, not even part of a character). */
  private atFrameBoundary = true;
  private firstRead = true;
  private wholeFrames = false;

  constructor(private readonly maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {}

  /** The frames this read completes, in order; a partial frame is held until its end arrives. */
  push(bytes: Uint8Array): SseFrame[] {
    if (bytes.length === 0) return [];
    // A leading byte order mark is dropped from the text, so those bytes are not the frames'.
    const startsAligned = this.atFrameBoundary && !(this.firstRead && bytes[0] === 0xef);
    this.firstRead = false;
    const frames = this.cut(this.decoder.decode(bytes), false);
    // Ending in LF, an ASCII byte, the decoder holds nothing back; with nothing pending either,
    // every byte of this read went into the frames returned.
    this.atFrameBoundary = this.pending === '' && bytes[bytes.length - 1] === LF;
    this.wholeFrames = startsAligned && this.atFrameBoundary && frames.length > 0;
    return frames;
  }

  /**
   * Whether the last `push` returned whole frames made of exactly the bytes it was given: a
   * relay that edits none of them may forward those bytes as they came, not re-encode the text.
   * (Identical for every valid UTF-8 stream; invalid bytes, which the text shows as U+FFFD, go
   * on as they came, for the client's decoder to replace the same way.)
   */
  get lastReadWasWholeFrames(): boolean {
    return this.wholeFrames;
  }

  /**
   * The body ended. A CR that ended the last read is a line end by itself now (nothing can
   * follow it), which may complete one last frame; whatever is left is an unterminated frame,
   * returned as `partial` (the SSE spec drops it; the passthrough relay reports it).
   */
  end(): { readonly frames: SseFrame[]; readonly partial: string | undefined } {
    const frames = this.cut(this.decoder.end(), true);
    const partial = this.pending === '' ? undefined : this.pending;
    this.pending = '';
    this.searchFrom = 0;
    return { frames, partial };
  }

  private cut(text: string, final: boolean): SseFrame[] {
    if (!this.sawCr && text.includes('\r')) {
      this.sawCr = true;
      this.searchFrom = 0;
    }
    const buffer = this.pending === '' ? text : this.pending + text;
    const frames: SseFrame[] = [];
    let start = 0;
    let from = this.searchFrom;
    for (;;) {
      const end = this.sawCr ? frameEndScanning(buffer, start, final) : frameEndLf(buffer, start, from);
      if (end === -1) break;
      frames.push(this.frame(buffer.slice(start, end)));
      start = end;
      from = end;
    }
    this.pending = start === 0 ? buffer : buffer.slice(start);
    // The LF path resumes one character back: a "\n\n" may straddle two reads.
    this.searchFrom = this.sawCr ? 0 : Math.max(0, this.pending.length - 1);
    if (this.pending.length > this.maxFrameBytes) {
      this.pending = '';
      this.searchFrom = 0;
      throw new SseParseError(`an event is larger than ${this.maxFrameBytes} bytes`);
    }
    return frames;
  }

  private frame(raw: string): SseFrame {
    const first = this.atStreamStart;
    this.atStreamStart = false;
    return new SseFrame(raw, first, this.sawCr);
  }
}

/** Frames larger than this are refused: an upstream cannot make the gateway buffer without bound. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * One complete frame. `raw` is exactly the text received, blank line included. The fields are
 * read on first use: a relay that only forwards a frame never parses it.
 */
export class SseFrame {
  private parsed: { event: string | undefined; data: string | undefined } | undefined;
  /** `eventName`, once read: the relay and the tap both ask for every frame. */
  private name: string | undefined | null = null;

  constructor(
    readonly raw: string,
    /** The stream's first frame: a leading byte order mark is not part of its first field name. */
    private readonly first = false,
    /** False when the reader has seen no CR in the stream so far: this frame then has none. */
    private readonly mayHaveCr = true,
  ) {}

  /** The `event:` field, or undefined for data-only frames (OpenAI chunks) and comment-only frames. */
  get event(): string | undefined {
    return this.fields().event;
  }

  /** The `data:` lines joined with LF; undefined when the frame has none (it dispatches nothing). */
  get data(): string | undefined {
    return this.fields().data;
  }

  /** Whether the frame has a `data` field: only such frames dispatch an event. */
  get hasData(): boolean {
    if (this.parsed !== undefined) return this.parsed.data !== undefined;
    // A line that starts with `data:` is a data field: the common case needs no parse.
    const raw = this.raw;
    if (startsWithData(raw) || raw.includes('\ndata:') || raw.includes('\rdata:')) return true;
    return this.data !== undefined;
  }

  /**
   * The event name without parsing the rest of the frame, when the frame starts with an
   * `event:` line (every Anthropic frame does); otherwise the full parse decides.
   */
  get eventName(): string | undefined {
    if (this.name === null) this.name = this.parsed === undefined ? (leadingEventName(this.raw) ?? this.event) : this.parsed.event;
    return this.name;
  }

  /** Both fields as one object, read once: parseSse hands it out as the frame's message. */
  fields(): { readonly event: string | undefined; readonly data: string | undefined } {
    this.parsed ??= singleDataLine(this.raw, this.mayHaveCr) ?? parseFields(this.raw, this.first);
    return this.parsed;
  }
}

/**
 * The hot path: `data: X` and one LF before the blank line (every OpenAI chunk), read with one
 * search and one slice instead of a split.
 */
function singleDataLine(raw: string, mayHaveCr: boolean): { event: undefined; data: string } | undefined {
  const end = raw.length - 2;
  if (end < 5 || !startsWithData(raw) || raw.indexOf('\n') !== end || raw.charCodeAt(end + 1) !== 0x0a || (mayHaveCr && raw.includes('\r'))) return undefined;
  return { event: undefined, data: raw.slice(raw.charCodeAt(5) === 0x20 ? 6 : 5, end) };
}

/**
 * `raw.startsWith('data:')`, spelled out: startsWith on the sliced strings frames are walked
 * slowly by V8 (a tenth of the reader's time per frame in a CPU profile).
 */
function startsWithData(raw: string): boolean {
  return raw.charCodeAt(0) === 0x64 && raw.charCodeAt(1) === 0x61 && raw.charCodeAt(2) === 0x74 && raw.charCodeAt(3) === 0x61 && raw.charCodeAt(4) === 0x3a;
}

/** `X` of a first line `event: X` / `event:X`; undefined when the frame starts otherwise. */
function leadingEventName(raw: string): string | undefined {
  if (!startsWithEvent(raw)) return undefined;
  const from = raw.charCodeAt(6) === 0x20 ? 7 : 6;
  const lineEnd = lineEndIndex(raw, from);
  if (lineEnd === -1) return undefined;
  // An empty name is no name (the full parse says so too).
  return lineEnd === from ? undefined : raw.slice(from, lineEnd);
}

/** `raw.startsWith('event:')`, spelled out for the same reason. */
function startsWithEvent(raw: string): boolean {
  return raw.charCodeAt(0) === 0x65 && raw.charCodeAt(1) === 0x76 && raw.charCodeAt(2) === 0x65 && raw.charCodeAt(3) === 0x6e && raw.charCodeAt(4) === 0x74 && raw.charCodeAt(5) === 0x3a;
}

/** The field lines of one frame, by the WHATWG rules (comments, `field` without colon, one optional space). */
function parseFields(raw: string, first: boolean): { event: string | undefined; data: string | undefined } {
  const text = first && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  let event: string | undefined;
  let data: string | undefined;
  for (const line of text.split(LINE_END)) {
    if (line === '' || line.charCodeAt(0) === 0x3a) continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    if (name === 'event') event = value;
    else if (name === 'data') data = data === undefined ? value : `${data}\n${value}`;
  }
  return { event: event === '' ? undefined : event, data };
}

const LF = 0x0a;
const CR = 0x0d;
const LINE_END = /\r\n|\r|\n/;

/** LF-only streams: the frame ends after the first empty line (a leading LF is an empty frame). */
function frameEndLf(buffer: string, start: number, from: number): number {
  if (start >= buffer.length) return -1;
  if (buffer.charCodeAt(start) === LF) return start + 1;
  const index = buffer.indexOf('\n\n', Math.max(start, from));
  return index === -1 ? -1 : index + 2;
}

/**
 * Any line ends: the frame ends after a line end that starts an empty line. A CR that ends the
 * buffer may be the first half of a CRLF, so it only counts when `final` (the body ended).
 */
function frameEndScanning(buffer: string, start: number, final: boolean): number {
  let lineStart = start;
  let at = start;
  while (at < buffer.length) {
    const end = lineEndIndex(buffer, at);
    if (end === -1) return -1;
    let next: number;
    if (buffer.charCodeAt(end) === CR) {
      if (end + 1 === buffer.length && !final) return -1;
      next = buffer.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
    } else {
      next = end + 1;
    }
    if (end === lineStart) return next;
    lineStart = next;
    at = next;
  }
  return -1;
}

function lineEndIndex(text: string, from: number): number {
  for (let at = from; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === LF || code === CR) return at;
  }
  return -1;
}

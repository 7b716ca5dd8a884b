import { SseParseError } from './sse-parse-error';

/**
 * The one `text/event-stream` reader of the project. It cuts a byte stream into complete frames
 * (an event and the blank line that ends it) and keeps each frame's bytes as they arrived, so the
 * same reader serves the passthrough relay (which forwards frames byte for byte and must never
 * forward half of one), the passthrough tap and the translation decoders (which read the fields).
 *
 * Cutting is done on bytes, not on decoded text: CR and LF never occur inside a multi-byte UTF-8
 * sequence, so every frame is whole UTF-8 and decodes on its own, and a frame's fields are only
 * decoded when someone reads them. Line ends follow the WHATWG rules: LF, CRLF or CR, also when
 * a CR and its LF arrive in different reads. Streams without a CR (llama.cpp, vLLM, OpenAI,
 * Anthropic) take a fast path: one `indexOf("\n\n")` per frame.
 */
export class SseFrameReader {
  /** Bytes of the frame being received, in the reads they came in (joined once, when the frame ends). */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  /** Once a CR is seen, every later frame boundary is searched line by line. */
  private sawCr = false;
  private atStreamStart = true;

  constructor(private readonly maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {}

  /** The frames this read completes, in order; a partial frame is held until its end arrives. */
  push(bytes: Uint8Array): SseFrame[] {
    let chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (chunk.length === 0) return [];
    if (!this.sawCr && chunk.indexOf(CR) !== -1) this.sawCr = true;
    const frames: SseFrame[] = [];
    if (this.partsBytes > 0) {
      if (this.sawCr) {
        // Rare (CR line ends): rescan the held frame with this read; bounded by maxFrameBytes.
        chunk = Buffer.concat([...this.parts, chunk]);
        this.parts = [];
        this.partsBytes = 0;
      } else {
        // The held frame ends in this read at the first "\n\n", which may straddle the two.
        const straddles = this.parts[this.parts.length - 1]!.at(-1) === LF && chunk[0] === LF;
        const index = straddles ? -1 : chunk.indexOf(DOUBLE_LF);
        if (!straddles && index === -1) {
          this.hold(chunk);
          return frames;
        }
        const end = straddles ? 1 : index + 2;
        frames.push(this.frame(Buffer.concat([...this.parts, chunk.subarray(0, end)])));
        this.parts = [];
        this.partsBytes = 0;
        chunk = chunk.subarray(end);
      }
    }
    let start = 0;
    for (;;) {
      const end = this.sawCr ? frameEndScanning(chunk, start, false) : frameEndLf(chunk, start);
      if (end === -1) break;
      frames.push(this.frame(chunk.subarray(start, end)));
      start = end;
    }
    // The held tail is copied so a large read is not pinned by its last few bytes.
    if (start < chunk.length) this.hold(Buffer.from(chunk.subarray(start)));
    return frames;
  }

  /**
   * The body ended. A CR that ended the last read is a line end by itself now (nothing can
   * follow it), which may complete one last frame; whatever is left is an unterminated frame,
   * returned as `partial` (the SSE spec drops it; the passthrough relay reports it).
   */
  end(): { readonly frames: SseFrame[]; readonly partial: Buffer | undefined } {
    if (this.partsBytes === 0) return { frames: [], partial: undefined };
    const buffer = Buffer.concat(this.parts);
    this.parts = [];
    this.partsBytes = 0;
    const frames: SseFrame[] = [];
    let start = 0;
    if (this.sawCr) {
      for (;;) {
        const end = frameEndScanning(buffer, start, true);
        if (end === -1) break;
        frames.push(this.frame(buffer.subarray(start, end)));
        start = end;
      }
    }
    return { frames, partial: start < buffer.length ? buffer.subarray(start) : undefined };
  }

  private hold(bytes: Buffer): void {
    this.parts.push(bytes);
    this.partsBytes += bytes.length;
    if (this.partsBytes > this.maxFrameBytes) {
      this.parts = [];
      this.partsBytes = 0;
      throw new SseParseError(`an event is larger than ${this.maxFrameBytes} bytes`);
    }
  }

  private frame(raw: Buffer): SseFrame {
    const first = this.atStreamStart;
    this.atStreamStart = false;
    return new SseFrame(raw, first);
  }
}

/** Frames larger than this are refused: an upstream cannot make the gateway buffer without bound. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * One complete frame. `raw` is exactly the bytes received, blank line included. The fields are
 * read on first use: a relay that only forwards a frame never decodes it.
 */
export class SseFrame {
  private parsed: { event: string | undefined; data: string | undefined } | undefined;

  constructor(
    readonly raw: Buffer,
    /** The stream's first frame: a leading byte order mark is not part of its first field name. */
    private readonly first = false,
  ) {}

  /** The `event:` field, or undefined for data-only frames (OpenAI chunks) and comment-only frames. */
  get event(): string | undefined {
    return this.fields().event;
  }

  /** The `data:` lines joined with LF; undefined when the frame has none (it dispatches nothing). */
  get data(): string | undefined {
    return this.fields().data;
  }

  /** Whether the frame has a `data` field (without decoding it): only such frames dispatch an event. */
  get hasData(): boolean {
    if (this.parsed !== undefined) return this.parsed.data !== undefined;
    // A line that starts with `data:` is a data field: the common case needs no decoding.
    const raw = this.raw;
    if (startsWith(raw, 0, DATA_FIELD) || raw.indexOf(LF_DATA_FIELD) !== -1 || raw.indexOf(CR_DATA_FIELD) !== -1) return true;
    return this.data !== undefined;
  }

  /**
   * The event name without reading the rest of the frame, when the frame starts with an
   * `event:` line (every Anthropic frame does); otherwise the full parse decides.
   */
  get eventName(): string | undefined {
    if (this.parsed === undefined && startsWith(this.raw, 0, EVENT_FIELD)) {
      const lineEnd = lineEndIndex(this.raw, EVENT_FIELD.length);
      if (lineEnd !== -1) {
        const from = this.raw[EVENT_FIELD.length] === SPACE ? EVENT_FIELD.length + 1 : EVENT_FIELD.length;
        return this.raw.toString('utf8', from, lineEnd);
      }
    }
    return this.event;
  }

  private fields(): { event: string | undefined; data: string | undefined } {
    this.parsed ??= singleDataLine(this.raw) ?? parseFields(this.raw, this.first);
    return this.parsed;
  }
}

/**
 * The hot path: `data: X` and one LF before the blank line (every OpenAI chunk), read with one
 * search and one decode instead of a split.
 */
function singleDataLine(raw: Buffer): { event: undefined; data: string } | undefined {
  const end = raw.length - 2;
  if (end < DATA_FIELD.length || raw[end] !== LF || raw[end + 1] !== LF || !startsWith(raw, 0, DATA_FIELD)) return undefined;
  if (raw.indexOf(LF, DATA_FIELD.length) !== end || (raw.indexOf(CR) !== -1)) return undefined;
  const from = raw[DATA_FIELD.length] === SPACE ? DATA_FIELD.length + 1 : DATA_FIELD.length;
  return { event: undefined, data: raw.toString('utf8', from, end) };
}

/** The field lines of one frame, by the WHATWG rules (comments, `field` without colon, one optional space). */
function parseFields(raw: Buffer, first: boolean): { event: string | undefined; data: string | undefined } {
  let text = raw.toString('utf8');
  if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
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
const SPACE = 0x20;
const LINE_END = /\r\n|\r|\n/;
const DOUBLE_LF = Buffer.from('\n\n');
const EVENT_FIELD = Buffer.from('event:');
const DATA_FIELD = Buffer.from('data:');
const LF_DATA_FIELD = Buffer.from('\ndata:');
const CR_DATA_FIELD = Buffer.from('\rdata:');

/** LF-only streams: the frame ends after the first empty line (a leading LF is an empty frame). */
function frameEndLf(buffer: Buffer, start: number): number {
  if (start >= buffer.length) return -1;
  if (buffer[start] === LF) return start + 1;
  const index = buffer.indexOf(DOUBLE_LF, start);
  return index === -1 ? -1 : index + 2;
}

/**
 * Any line ends: the frame ends after a line end that starts an empty line. A CR that ends the
 * buffer may be the first half of a CRLF, so it only counts when `final` (the body ended).
 */
function frameEndScanning(buffer: Buffer, start: number, final: boolean): number {
  let lineStart = start;
  let at = start;
  while (at < buffer.length) {
    const lf = buffer.indexOf(LF, at);
    const cr = buffer.indexOf(CR, at);
    const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
    if (end === -1) return -1;
    let next: number;
    if (buffer[end] === CR) {
      if (end + 1 === buffer.length && !final) return -1;
      next = buffer[end + 1] === LF ? end + 2 : end + 1;
    } else {
      next = end + 1;
    }
    if (end === lineStart) return next;
    lineStart = next;
    at = next;
  }
  return -1;
}

function lineEndIndex(buffer: Buffer, from: number): number {
  for (let at = from; at < buffer.length; at++) if (buffer[at] === LF || buffer[at] === CR) return at;
  return -1;
}

function startsWith(buffer: Buffer, at: number, prefix: Buffer): boolean {
  return buffer.length - at >= prefix.length && buffer.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0;
}

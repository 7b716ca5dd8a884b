/**
 * A synchronous, incremental `text/event-stream` scanner for taps that ride along a relay.
 * `parseSse` in @turnout/sse is an async generator that throws on an oversized event; a tap
 * needs the opposite: a `push(chunk)` that never throws, and a way to not buffer the events it
 * does not read. So the caller says, per event name, whether it wants the data; unwanted data
 * lines are skipped with `indexOf` and never copied, and wanted data beyond a byte cap is
 * dropped as it arrives. Follows the WHATWG parsing rules the tap can observe: CR, LF and CRLF
 * line ends (also split across chunks), a leading BOM, comments, `field` lines without a colon,
 * one optional space after the colon, multi-line data joined with `\n`, dispatch on a blank
 * line only when a `data` field was seen, and an unterminated last event dropped.
 */

export interface SseEventScannerOptions {
  /** Largest data payload (bytes) buffered for one event; a larger event arrives with `data: undefined`. */
  readonly maxEventBytes: number;
  /** Whether the data of an event with this name should be buffered (the name is undefined before an `event:` line). */
  readonly wantsData: (eventName: string | undefined) => boolean;
  /** One dispatched event. `data` is undefined when it was not wanted or was too large. */
  readonly onEvent: (eventName: string | undefined, data: Buffer | undefined) => void;
}

type LineMode = 'field' | 'event-value' | 'data-value' | 'discard';
type DataState = 'collecting' | 'skipped' | 'oversized';

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const NEWLINE = Buffer.from('\n');
const BOM = '\xef\xbb\xbf';
/** Field names this scanner acts on are `event` and `data`; anything longer is an unknown field. */
const MAX_FIELD_CHARS = BOM.length + 8;
/** Event names are short identifiers; a longer one cannot be an event anyone reads. */
const MAX_EVENT_NAME_BYTES = 256;
/** Stands for a name over the cap: the event still dispatches (data lines counted), but no reader wants it. */
const TOO_LONG_NAME = '\u0000too-long';

export class SseEventScanner {
  private mode: LineMode = 'field';
  /** Field name bytes of the current line, one char per byte (names are ASCII). */
  private field = '';
  private atStreamStart = true;
  /** The last chunk ended on CR: an LF starting the next chunk completes that line end. */
  private afterCr = false;
  /** The value of an `event:`/`data:` line starts with one optional space to drop. */
  private skipSpace = false;

  private eventName: string | undefined;
  /** The `event:` value being read, one char per byte; decoded as UTF-8 at the line end if not ASCII. */
  private eventNameRaw = '';
  private eventNameTooLong = false;

  private sawData = false;
  private dataState: DataState = 'collecting';
  private dataParts: Buffer[] = [];
  private dataBytes = 0;

  constructor(private readonly options: SseEventScannerOptions) {}

  push(bytes: Uint8Array): void {
    // A Buffer view (no copy) for its native latin1 decoding of event names.
    const chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length = chunk.length;
    let at = 0;
    if (this.afterCr && length > 0) {
      this.afterCr = false;
      if (chunk[0] === LF) at = 1;
    }
    // Cached positions of the next CR and LF, so a chunk is searched once per character kind.
    let nextCr = -1;
    let nextLf = -1;
    while (at < length) {
      if (this.mode === 'field') {
        // Fast path: nearly every line starts with `data:` or `event:` whole inside the chunk.
        const known = this.field === '' && !this.atStreamStart ? knownFieldAt(chunk, at) : undefined;
        if (known !== undefined) {
          this.field = known;
          this.startValue();
          at += known.length + 1;
          continue;
        }
        const byte = chunk[at];
        if (byte === CR || byte === LF) {
          this.endLine();
          at = this.skipLineEnd(chunk, at);
        } else if (byte === COLON) {
          this.startValue();
          at++;
        } else {
          if (this.field.length >= MAX_FIELD_CHARS) this.mode = 'discard';
          else this.field += String.fromCharCode(byte);
          at++;
        }
        continue;
      }
      if (nextCr < at) nextCr = indexOrEnd(chunk, CR, at);
      if (nextLf < at) nextLf = indexOrEnd(chunk, LF, at);
      const lineEnd = Math.min(nextCr, nextLf);
      if (lineEnd > at && this.mode !== 'discard') this.appendValue(chunk, at, lineEnd);
      at = lineEnd;
      if (at < length) {
        this.endLine();
        at = this.skipLineEnd(chunk, at);
      }
    }
  }

  /** Past the line end at `at` (CR, LF or CRLF); remembers a CR that ends the chunk. */
  private skipLineEnd(chunk: Uint8Array, at: number): number {
    if (chunk[at] === LF) return at + 1;
    if (at + 1 < chunk.length) return chunk[at + 1] === LF ? at + 2 : at + 1;
    this.afterCr = true;
    return at + 1;
  }

  private fieldName(): string {
    const name = this.atStreamStart && this.field.startsWith(BOM) ? this.field.slice(BOM.length) : this.field;
    this.atStreamStart = false;
    return name;
  }

  private startValue(): void {
    const name = this.fieldName();
    this.skipSpace = true;
    if (name === 'event') {
      this.mode = 'event-value';
      this.eventNameRaw = '';
    } else if (name === 'data') {
      this.mode = this.startDataLine() ? 'data-value' : 'discard';
    } else {
      this.mode = 'discard'; // comments (empty name), id, retry, unknown fields
    }
  }

  /** Whether this data line's bytes are kept. */
  private startDataLine(): boolean {
    const continued = this.sawData;
    this.sawData = true;
    if (this.dataState === 'collecting' && this.eventName !== undefined && !this.options.wantsData(this.eventName)) {
      this.dropData('skipped');
    }
    if (this.dataState !== 'collecting') return false;
    if (continued) this.addData(NEWLINE);
    return this.dataState === 'collecting';
  }

  /** The value bytes `[start, end)` of the current line, read in place (no views are made for skipped lines). */
  private appendValue(chunk: Buffer, start: number, end: number): void {
    let from = start;
    if (this.skipSpace) {
      this.skipSpace = false;
      if (chunk[from] === SPACE) from++;
    }
    if (from === end) return;
    if (this.mode === 'data-value') {
      this.addData(chunk.subarray(from, end));
      if (this.dataState !== 'collecting') this.mode = 'discard';
    } else if (this.eventNameRaw.length + (end - from) > MAX_EVENT_NAME_BYTES) {
      this.eventNameTooLong = true;
      this.mode = 'discard';
    } else {
      this.eventNameRaw += chunk.toString('latin1', from, end);
    }
  }

  private addData(bytes: Uint8Array): void {
    if (this.dataBytes + bytes.length > this.options.maxEventBytes) {
      this.dropData('oversized');
      return;
    }
    // Copied: the caller relays the chunk on, and a tap must not pin (or see changes to) its memory.
    this.dataParts.push(Buffer.from(bytes));
    this.dataBytes += bytes.length;
  }

  private dropData(state: DataState): void {
    this.dataState = state;
    this.dataParts = [];
    this.dataBytes = 0;
  }

  private endLine(): void {
    const mode = this.mode;
    this.mode = 'field';
    if (mode === 'field') {
      // A line without a colon: the whole line is the field name, with an empty value.
      const name = this.fieldName();
      this.field = '';
      if (name === '') this.dispatch();
      else if (name === 'event') this.eventName = '';
      else if (name === 'data') this.startDataLine();
      return;
    }
    this.field = '';
    if (this.eventNameTooLong) this.eventName = TOO_LONG_NAME;
    else if (mode === 'event-value') this.eventName = decodeByteString(this.eventNameRaw);
    this.eventNameRaw = '';
    this.eventNameTooLong = false;
  }

  private dispatch(): void {
    const { eventName, sawData, dataState, dataParts } = this;
    this.eventName = undefined;
    this.sawData = false;
    this.dropData('collecting');
    if (!sawData) return;
    const wanted = dataState === 'collecting' && this.options.wantsData(eventName);
    this.options.onEvent(eventName, wanted ? Buffer.concat(dataParts) : undefined);
  }
}

const DATA_FIELD = [0x64, 0x61, 0x74, 0x61, COLON]; // "data:"
const EVENT_FIELD = [0x65, 0x76, 0x65, 0x6e, 0x74, COLON]; // "event:"

/** `data` or `event` when the line at `at` starts with that field and its colon, all inside this chunk. */
function knownFieldAt(chunk: Uint8Array, at: number): 'data' | 'event' | undefined {
  if (startsWith(chunk, at, DATA_FIELD)) return 'data';
  if (startsWith(chunk, at, EVENT_FIELD)) return 'event';
  return undefined;
}

function startsWith(chunk: Uint8Array, at: number, prefix: readonly number[]): boolean {
  if (at + prefix.length > chunk.length) return false;
  for (let index = 0; index < prefix.length; index++) if (chunk[at + index] !== prefix[index]) return false;
  return true;
}

/** A string holding one byte per char, read as UTF-8 (the fast path is ASCII, which needs no decoding). */
function decodeByteString(raw: string): string {
  return /[^\x00-\x7f]/.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
}

/** V8's own typed-array search: Buffer's override adds argument handling this hot path does not need. */
const typedIndexOf = Uint8Array.prototype.indexOf;

function indexOrEnd(chunk: Uint8Array, byte: number, from: number): number {
  const index = typedIndexOf.call(chunk, byte, from);
  return index < 0 ? chunk.length : index;
}

/**
 * UTF-8 bytes arriving in reads → text, exactly as `new TextDecoder('utf-8')` with
 * `{stream: true}` decodes them (a character split between reads, U+FFFD for bad bytes, one
 * leading byte order mark dropped), but on Node's fast path.
 *
 * Why: Node disables TextDecoder's fast (simdutf/V8) path for good once `stream` is used and
 * decodes through ICU's converter instead, about 13 instructions per byte: 5 % of a translated
 * stream's CPU (callgrind, bench/instructions.mjs stream256). Here every decode is a complete
 * one: the bytes of a character the read cut off are held back and put before the next read.
 * Cutting just before a lead byte (or an ASCII byte) never changes the decoding, because the
 * UTF-8 decoder starts afresh at such a byte whatever came before it (a pending sequence is
 * then an error either way), so the pieces decode to the same text as the whole.
 */
export class Utf8StreamDecoder {
  /** `ignoreBOM`: the stream's one BOM is dropped here, not at the start of every read. */
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The start of a character the last read ended inside of. */
  private held: Uint8Array | undefined;
  private atStart = true;

  decode(bytes: Uint8Array): string {
    const input = this.held === undefined ? bytes : joined(this.held, bytes);
    const cut = completeLength(input);
    // A copy: the caller may reuse the read's buffer.
    this.held = cut === input.length ? undefined : new Uint8Array(input.subarray(cut));
    return this.text(cut === input.length ? input : input.subarray(0, cut));
  }

  /** The end of the stream: a character left incomplete is U+FFFD, as the streaming decoder's flush gives. */
  end(): string {
    const held = this.held;
    this.held = undefined;
    return held === undefined ? '' : this.text(held);
  }

  private text(bytes: Uint8Array): string {
    if (bytes.length === 0) return '';
    const text = this.decoder.decode(bytes);
    if (!this.atStart) return text;
    this.atStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/**
 * How many leading bytes end on a character boundary: all of them, unless one of the last
 * three bytes is a lead byte whose sequence needs more bytes than the read has left.
 */
function completeLength(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let at = length - 1; at >= 0 && at >= length - 3; at--) {
    const byte = bytes[at] as number;
    if (byte < 0x80) return length;
    if (byte >= 0xc0) return length - at < sequenceLength(byte) ? at : length;
  }
  return length;
}

/** Bytes of the sequence a lead byte starts; 1 for bytes that start none (the decoder rejects them alone). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf8) return 1;
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  return 2;
}

function joined(head: Uint8Array, tail: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(head.length + tail.length);
  bytes.set(head, 0);
  bytes.set(tail, head.length);
  return bytes;
}

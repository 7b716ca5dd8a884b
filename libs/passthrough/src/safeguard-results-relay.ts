/**
 * Passthrough with `safeguards: synthesize` (the upstream is not Anthropic's API): the answer
 * gets the `safeguard_results` Turnout made (`@turnout/translate` safeguard-results.ts), in
 * `message_delta.delta` of a stream and at the top of a unary Message. Every other byte is
 * relayed as it came.
 */

/** A frame larger than this is relayed untouched: message_delta is a few hundred bytes. */
const MAX_HELD_BYTES = 256 * 1024;
const FRAME_END = /\r\n\r\n|\n\n|\r\r/g;

/** The unary Message with `safeguard_results` added as its last member (raw-byte edit, rest untouched). */
export function addSafeguardResultsToMessage(raw: Buffer, results: unknown): Buffer {
  const end = raw.lastIndexOf('}');
  if (end === -1) return raw;
  return Buffer.concat([raw.subarray(0, end), Buffer.from(`,"safeguard_results":${JSON.stringify(results)}`), raw.subarray(end)]);
}

/**
 * Relays SSE bytes, holding only an unfinished frame: complete frames go out as they complete,
 * and the `message_delta` frame goes out with `delta.safeguard_results` set.
 */
export async function* addSafeguardResultsToStream(source: AsyncIterable<Uint8Array>, results: unknown): AsyncGenerator<Uint8Array> {
  let held = Buffer.alloc(0);
  let done = false;
  for await (const chunk of source) {
    if (done) {
      yield chunk;
      continue;
    }
    held = held.length === 0 ? Buffer.from(chunk) : Buffer.concat([held, chunk]);
    const cut = lastFrameEnd(held);
    if (cut === -1) {
      if (held.length > MAX_HELD_BYTES) {
        yield held;
        held = Buffer.alloc(0);
      }
      continue;
    }
    const { bytes, rewritten } = rewriteFrames(held.subarray(0, cut), results);
    const rest = Buffer.from(held.subarray(cut));
    if (rewritten) {
      // One message_delta per stream: nothing after it is held any more.
      done = true;
      yield rest.length > 0 ? Buffer.concat([bytes, rest]) : bytes;
      held = Buffer.alloc(0);
      continue;
    }
    yield bytes;
    held = rest;
  }
  if (held.length > 0) yield held;
}

/** Index just past the last blank line in the bytes, or -1. */
function lastFrameEnd(bytes: Buffer): number {
  const text = bytes.toString('latin1');
  let end = -1;
  for (const match of text.matchAll(FRAME_END)) end = match.index + match[0].length;
  return end;
}

function rewriteFrames(frames: Buffer, results: unknown): { bytes: Buffer; rewritten: boolean } {
  const text = frames.toString('latin1');
  if (!text.includes('message_delta')) return { bytes: frames, rewritten: false };
  const utf8 = frames.toString('utf8');
  let rewritten = false;
  const out = utf8.replace(/(^|\n|\r)data: ?(\{[^\r\n]*"message_delta"[^\r\n]*\})(?=\r|\n)/g, (whole, lead: string, json: string) => {
    const event = parse(json);
    if (event?.type !== 'message_delta' || typeof event.delta !== 'object' || event.delta === null) return whole;
    rewritten = true;
    const delta = { ...(event.delta as Record<string, unknown>), safeguard_results: results };
    return `${lead}data: ${JSON.stringify({ ...event, delta })}`;
  });
  return { bytes: rewritten ? Buffer.from(out, 'utf8') : frames, rewritten };
}

function parse(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

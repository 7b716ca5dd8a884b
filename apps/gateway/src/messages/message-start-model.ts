/** Longest prefix held back while looking for the end of the first SSE event. */
const MAX_HELD_BYTES = 64 * 1024;

/** `"model": "…"` as a member of an object (after `{` or `,`), never inside a string value. */
const MODEL_MEMBER = /([{,]\s*"model"\s*:\s*)"(?:[^"\\]|\\.)*"/;

/**
 * Passes an upstream SSE body through unchanged except the model name in its first event
 * (`message_start`), which becomes the name the client asked for. Only the bytes up to the
 * end of that first event are held; everything after flows as it arrives. If no event ends
 * within 64 KiB, the held bytes go out untouched (a rename is cosmetic; a stall is not).
 */
export async function* rewriteMessageStartModel(source: AsyncIterable<Uint8Array>, model: string): AsyncGenerator<Uint8Array> {
  let held: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of source) {
    if (held === undefined) {
      yield chunk;
      continue;
    }
    held = Buffer.concat([held, chunk]);
    const end = firstEventEnd(held);
    if (end === -1 && held.length < MAX_HELD_BYTES) continue;
    yield end === -1 ? held : Buffer.concat([renameIn(held.subarray(0, end), model), held.subarray(end)]);
    held = undefined;
  }
  if (held !== undefined && held.length > 0) yield held;
}

/** Index just past the blank line that ends the first event, or -1. */
function firstEventEnd(bytes: Buffer): number {
  const text = bytes.toString('latin1');
  const match = /\r\n\r\n|\n\n|\r\r/.exec(text);
  return match ? match.index + match[0].length : -1;
}

function renameIn(event: Buffer, model: string): Buffer {
  const text = event.toString('utf8');
  if (!/^event:\s*message_start\s*$/m.test(text) && !text.includes('"message_start"')) return event;
  const renamed = text.replace(MODEL_MEMBER, (_whole, prefix: string) => `${prefix}${JSON.stringify(model)}`);
  return renamed === text ? event : Buffer.from(renamed, 'utf8');
}

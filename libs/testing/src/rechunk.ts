/**
 * Split-data fuzzing (undici style): parsers and stream machines must not care where the
 * transport splits bytes. `rechunk` cuts a buffer at seeded random places and always includes,
 * when the input has them, a cut inside a UTF-8 multi-byte character and one between `\r` and
 * `\n`, the two splits a line-based decoder most often gets wrong.
 */

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RechunkOptions {
  /** Largest random chunk, in bytes (default 64). */
  readonly maxChunkSize?: number;
}

export function rechunk(bytes: Uint8Array, seed: number, options: RechunkOptions = {}): Uint8Array[] {
  const random = mulberry32(seed);
  const maxChunkSize = Math.max(1, options.maxChunkSize ?? 64);
  const cuts = new Set<number>();
  for (let at = 0; ; ) {
    at += 1 + Math.floor(random() * maxChunkSize);
    if (at >= bytes.length) break;
    cuts.add(at);
  }
  for (const candidates of [insideCharacterCuts(bytes), crLfCuts(bytes)]) {
    if (candidates.length === 0) continue;
    cuts.add(candidates[Math.floor(random() * candidates.length)]);
    for (const at of candidates) if (random() < 0.3) cuts.add(at);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const at of sorted) {
    chunks.push(bytes.subarray(start, at));
    start = at;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

/** The chunks as the async byte source the decoders take. */
export async function* fromChunks(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** Positions before a UTF-8 continuation byte (10xxxxxx): a cut there splits a character. */
function insideCharacterCuts(bytes: Uint8Array): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < bytes.length; i++) if ((bytes[i] & 0xc0) === 0x80) cuts.push(i);
  return cuts;
}

function crLfCuts(bytes: Uint8Array): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < bytes.length; i++) if (bytes[i - 1] === 0x0d && bytes[i] === 0x0a) cuts.push(i);
  return cuts;
}

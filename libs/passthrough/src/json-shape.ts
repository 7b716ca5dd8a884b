import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE, skipString } from './json-top-level-members';

/**
 * One pass over a JSON body's bytes, before anything walks the parsed value: how deep it nests,
 * and whether the top-level object names a member twice. Nothing recursive runs on the input
 * (a 10,000-deep body must not reach a recursive walk), and strings are skipped with `indexOf`,
 * where request bodies spend their bytes.
 *
 * Duplicate top-level members are refused because readers disagree on which one wins: the
 * router reads the last `model`, passthrough forwards the raw bytes, and the upstream may read
 * the first.
 */
export interface JsonShape {
  /** Deepest nesting of objects and arrays seen, stopping at `maxDepth + 1`. */
  readonly depth: number;
  readonly duplicateKey: string | undefined;
}

/** The body was parsed already: it is well-formed JSON, so the scan need not check the grammar. */
export function scanJsonShape(bytes: Uint8Array, maxDepth: number): JsonShape {
  let depth = 0;
  let deepest = 0;
  let topIsObject = false;
  let expectKey = false;
  const keys = new Set<string>();
  for (let at = 0; at < bytes.length; at++) {
    const byte = bytes[at];
    if (byte === QUOTE) {
      const end = skipString(bytes, at);
      if (end < 0) break; // unterminated: not JSON the parser accepted; nothing more to measure
      if (expectKey && depth === 1 && topIsObject) {
        const key = decodeKey(bytes, at, end);
        if (keys.has(key)) return { depth: deepest, duplicateKey: key };
        keys.add(key);
        expectKey = false;
      }
      at = end - 1;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
      if (depth === 1) {
        topIsObject = byte === OPEN_OBJECT;
        expectKey = topIsObject;
      }
      if (depth > deepest) {
        deepest = depth;
        if (deepest > maxDepth) return { depth: deepest, duplicateKey: undefined };
      }
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    } else if (byte === COMMA && depth === 1) {
      expectKey = topIsObject;
    }
  }
  return { depth: deepest, duplicateKey: undefined };
}

/** The key as a reader sees it: `"mod\u0065l"` is `model`. */
function decodeKey(bytes: Uint8Array, start: number, end: number): string {
  const token = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);
  const inner = token.subarray(1, token.length - 1);
  return inner.indexOf(BACKSLASH) < 0 ? inner.toString('utf8') : (JSON.parse(token.toString('utf8')) as string);
}

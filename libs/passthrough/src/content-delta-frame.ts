const LF = 0x0a;

/** Where the `data:` line of a frame that `isContentDeltaFrame` recognized starts. */
export const CONTENT_DELTA_DATA_AT = 27;

/**
 * Whether a frame is a `content_block_delta` with data, as every Anthropic-speaking server spells
 * it (`event: content_block_delta` + LF + `data:`), told by shape: eleven characters at fixed places. It is
 * most of every stream, and reading the name (a slice and a string comparison) cost ~1,500
 * instructions per frame against ~130 for these reads (callgrind; docs/performance.md). A frame
 * that is not recognized here goes through the exact reading of its name; a frame with another
 * name that matched these eleven places would be treated as a delta, which costs nothing: deltas
 * are relayed as they are, like unknown events, and only checked to carry an object.
 */
export function isContentDeltaFrame(raw: string): boolean {
  return (
    raw.charCodeAt(26) === LF &&
    raw.charCodeAt(31) === 0x3a && // the `:` of `data:`
    raw.charCodeAt(27) === 0x64 && // its `d`
    raw.charCodeAt(21) === 0x64 && // d
    raw.charCodeAt(25) === 0x61 && // a
    raw.charCodeAt(20) === 0x5f && // _
    raw.charCodeAt(14) === 0x5f && // _
    raw.charCodeAt(7) === 0x63 && // c
    raw.charCodeAt(6) === 0x20 &&
    raw.charCodeAt(5) === 0x3a && // :
    raw.charCodeAt(0) === 0x65 // e
  );
}

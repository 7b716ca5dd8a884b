/**
 * Finds the byte ranges of a top-level member's value in a JSON object, without parsing the
 * document: nested values are skipped by bracket depth and strings by their closing quote, so
 * a key of the same name inside `metadata`, a message or a string is never seen as top level.
 * One pass, linear in the input; strings are skipped with `indexOf`, which is where large
 * request bodies spend their bytes.
 */

/** `[start, end)` of one member's value. */
export interface ValueRange {
  readonly start: number;
  readonly end: number;
}

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
const COLON = 0x3a;
export const COMMA = 0x2c;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;

/**
 * Every top-level member named `key` (after JSON unescaping, so `"mod\u0065l"` is `model`), in
 * document order; JSON allows duplicate keys and readers disagree on which one wins. Undefined
 * when the bytes are not one JSON object (the structure is checked, scalar spellings are not).
 */
export function findTopLevelMembers(bytes: Uint8Array, key: string): ValueRange[] | undefined {
  const plainKey = Buffer.from(key, 'utf8');
  const found: ValueRange[] = [];
  let at = skipWhitespace(bytes, skipBom(bytes));
  if (bytes[at] !== OPEN_OBJECT) return undefined;
  at = skipWhitespace(bytes, at + 1);
  if (bytes[at] === CLOSE_OBJECT) return trailingIsWhitespace(bytes, at + 1) ? found : undefined;
  for (;;) {
    if (bytes[at] !== QUOTE) return undefined;
    const keyEnd = skipString(bytes, at);
    if (keyEnd < 0) return undefined;
    const matches = keyEquals(bytes, at, keyEnd, key, plainKey);
    at = skipWhitespace(bytes, keyEnd);
    if (bytes[at] !== COLON) return undefined;
    const start = skipWhitespace(bytes, at + 1);
    const end = skipValue(bytes, start);
    if (end < 0) return undefined;
    if (matches) found.push({ start, end });
    at = skipWhitespace(bytes, end);
    if (bytes[at] === COMMA) {
      at = skipWhitespace(bytes, at + 1);
      continue;
    }
    if (bytes[at] === CLOSE_OBJECT) return trailingIsWhitespace(bytes, at + 1) ? found : undefined;
    return undefined;
  }
}

function skipBom(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipWhitespace(bytes: Uint8Array, at: number): number {
  while (at < bytes.length && isWhitespace(bytes[at])) at++;
  return at;
}

function trailingIsWhitespace(bytes: Uint8Array, at: number): boolean {
  return skipWhitespace(bytes, at) === bytes.length;
}

/**
 * `at` is an opening quote; returns the index just past the closing one, or -1 if the string
 * never closes. A quote is escaped when an odd run of backslashes precedes it; the run is
 * counted back only to the previous search start, so the whole scan stays linear.
 */
export function skipString(bytes: Uint8Array, at: number): number {
  let from = at + 1;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (quote - backslashes - 1 >= from && bytes[quote - backslashes - 1] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Index just past the value starting at `at`, or -1 when it is not a complete value. */
function skipValue(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) return skipString(bytes, at);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) return skipContainer(bytes, at);
  // A number, true, false or null: runs to the next delimiter. Spelling is the upstream's business.
  let end = at;
  while (end < bytes.length && !isWhitespace(bytes[end]) && bytes[end] !== COMMA && bytes[end] !== CLOSE_OBJECT && bytes[end] !== CLOSE_ARRAY) {
    end++;
  }
  return end > at ? end : -1;
}

/** Skips a nested object or array by depth; only strings need care (they may contain brackets). */
function skipContainer(bytes: Uint8Array, at: number): number {
  let depth = 0;
  let index = at;
  while (index < bytes.length) {
    const byte = bytes[index];
    if (byte === QUOTE) {
      index = skipString(bytes, index);
      if (index < 0) return -1;
      continue;
    }
    if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
    else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return index + 1;
    }
    index++;
  }
  return -1;
}

/** Compares the key token `[start, end)` (quotes included) with `key`, unescaping only when needed. */
function keyEquals(bytes: Uint8Array, start: number, end: number, key: string, plainKey: Buffer): boolean {
  const inner = Buffer.from(bytes.buffer, bytes.byteOffset + start + 1, end - start - 2);
  if (inner.indexOf(BACKSLASH) < 0) return inner.equals(plainKey);
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8')) === key;
  } catch {
    return false; // a bad escape: not a key anyone could read as `key`
  }
}

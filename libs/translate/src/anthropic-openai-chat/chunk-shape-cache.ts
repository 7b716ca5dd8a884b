import { isRecord } from '@turnout/protocol';

/**
 * Parses one stream's chunk frames, skipping JSON.parse for the frame a token stream repeats.
 *
 * Why: a streamed answer is the same chunk again and again with only `choices[0].delta.content`
 * changing (same id, model, `created` within a second), and JSON.parse of every frame was a
 * fifth of a translated stream's CPU (profile of `npm run bench`, stream 256 tokens).
 *
 * How it stays exact: a frame is remembered with the text before and after its content string.
 * When the next frame has the same text around a string at the same place, the JSON grammar gives
 * it the same structure with only that string different, so the answer is the remembered value
 * with the new string, which equals JSON.parse of the frame. Before the first reuse, one parse
 * with a marker string in that place proves the place is `choices[0].delta.content`. Any other
 * frame (another shape, a string that is not one valid JSON string) goes through JSON.parse, which
 * also produces the errors. One instance per stream, never shared (docs/style.md rule 8).
 */
export class ChunkShapeCache {
  private candidate: Candidate | undefined;
  private proven = false;

  parse(data: string): unknown {
    const reused = this.reuse(data);
    if (reused !== undefined) return reused;
    const value: unknown = JSON.parse(data);
    this.remember(data, value);
    return value;
  }

  private reuse(data: string): unknown {
    const candidate = this.candidate;
    if (candidate === undefined) return undefined;
    const { prefix, suffix } = candidate;
    const end = data.length - suffix.length;
    if (end <= prefix.length || !textAt(data, 0, prefix) || !textAt(data, end, suffix)) return undefined;
    const content = jsonStringAt(data, prefix.length, end);
    if (content === undefined) return undefined;
    if (!this.proven) {
      if (!provesContentPlace(prefix, suffix)) {
        this.candidate = undefined;
        return undefined;
      }
      this.proven = true;
    }
    return withContent(candidate.value, content);
  }

  private remember(data: string, value: unknown): void {
    this.candidate = undefined;
    this.proven = false;
    const key = data.indexOf(CONTENT_KEY);
    if (key < 0) return;
    const from = key + CONTENT_KEY.length - 1;
    const to = endOfJsonString(data, from);
    if (to < 0 || !isTokenChunk(value)) return;
    this.candidate = { prefix: data.slice(0, from), suffix: data.slice(to), value };
  }
}

const CONTENT_KEY = '"content":"';
const MARKER = '\u0001turnout-marker';

interface TokenChunk {
  readonly choices: readonly [{ readonly delta: Readonly<Record<string, unknown>> } & Readonly<Record<string, unknown>>];
  readonly [key: string]: unknown;
}

interface Candidate {
  readonly prefix: string;
  readonly suffix: string;
  readonly value: TokenChunk;
}

/** One choice whose delta has a string content: the only shape whose content is swapped. */
function isTokenChunk(value: unknown): value is TokenChunk {
  if (!isRecord(value) || !Array.isArray(value.choices) || value.choices.length !== 1) return false;
  const choice: unknown = value.choices[0];
  return isRecord(choice) && isRecord(choice.delta) && typeof choice.delta.content === 'string';
}

/** The text around the remembered string, with a marker in its place, parses to the marker at choices[0].delta.content. */
function provesContentPlace(prefix: string, suffix: string): boolean {
  try {
    const probe: unknown = JSON.parse(`${prefix}${JSON.stringify(MARKER)}${suffix}`);
    return isTokenChunk(probe) && probe.choices[0].delta.content === MARKER;
  } catch {
    return false;
  }
}

function withContent(value: TokenChunk, content: string): TokenChunk {
  const choice = value.choices[0];
  return { ...value, choices: [{ ...choice, delta: { ...choice.delta, content } }] };
}

/**
 * Whether `part` is in `text` at `at`. A slice compared with `===` (one memcmp) instead of
 * startsWith/endsWith: on the sliced strings a frame reader produces, those walked the ~100
 * characters around every token one by one, the largest single cost of a translated stream
 * (callgrind, bench/instructions.mjs stream256).
 */
function textAt(text: string, at: number, part: string): boolean {
  return text.slice(at, at + part.length) === part;
}

/** Index just past the JSON string that starts at `from` (a quote), or -1 if it does not end. */
function endOfJsonString(text: string, from: number): number {
  for (let i = from + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5c) i++;
    else if (code === 0x22) return i + 1;
  }
  return -1;
}

/**
 * The value of `text.slice(from, to)` when that is exactly one valid JSON string, else undefined.
 * Without a backslash the value is the text between the quotes, provided no quote ends it early
 * and no raw control character is in it (JSON.parse rejects those); with one, JSON.parse decides.
 */
function jsonStringAt(text: string, from: number, to: number): string | undefined {
  if (text.charCodeAt(from) !== 0x22 || text.charCodeAt(to - 1) !== 0x22 || to - from < 2) return undefined;
  for (let i = from + 1; i < to - 1; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5c) return parsedString(text.slice(from, to));
    if (code === 0x22 || code < 0x20) return undefined;
  }
  return text.slice(from + 1, to - 1);
}

function parsedString(token: string): string | undefined {
  try {
    const value: unknown = JSON.parse(token);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

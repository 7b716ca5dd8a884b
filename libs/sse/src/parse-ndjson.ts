import { Utf8StreamDecoder } from './utf8-stream-decoder';

export interface ParseNdjsonOptions {
  /** Longest line (in characters) buffered before failing; guards memory. */
  readonly maxLineSize?: number;
}

export class NdjsonParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NdjsonParseError';
  }
}

const DEFAULT_MAX_LINE_SIZE = 16 * 1024 * 1024;

/**
 * Splits a newline-delimited body (Ollama's `/api/chat` stream) into lines, whatever the chunk
 * boundaries. Blank lines are skipped; a last line without a newline still counts. Lines are
 * returned as text: decoding JSON is the translator's job, so a bad line can become a typed error.
 */
export async function* parseNdjsonLines(
  bytes: AsyncIterable<Uint8Array>,
  options: ParseNdjsonOptions = {},
): AsyncGenerator<string> {
  for await (const batch of parseNdjsonBatches(bytes, options)) yield* batch;
}

/** parseNdjsonLines, one array per network read (see parseSseBatches for why). */
export async function* parseNdjsonBatches(
  bytes: AsyncIterable<Uint8Array>,
  options: ParseNdjsonOptions = {},
): AsyncGenerator<string[]> {
  const max = options.maxLineSize ?? DEFAULT_MAX_LINE_SIZE;
  const decoder = new Utf8StreamDecoder();
  let buffer = '';
  for await (const chunk of bytes) {
    buffer += decoder.decode(chunk);
    const lines: string[] = [];
    let start = 0;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(start, newline).replace(/\r$/, '');
      if (line.trim() !== '') lines.push(line);
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    buffer = buffer.slice(start);
    // The complete lines before an oversized one still count (they may carry text).
    if (lines.length > 0) yield lines;
    if (buffer.length > max) throw new NdjsonParseError(`NDJSON line exceeds ${max} characters`);
  }
  buffer += decoder.end();
  if (buffer.trim() !== '') yield [buffer.replace(/\r$/, '')];
}

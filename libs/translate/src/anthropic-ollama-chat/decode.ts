import type { OllamaChatStreamLine } from '@turnout/protocol';
import { NdjsonParseError, parseNdjsonBatches } from '@turnout/sse';
import { parseFrame } from '../anthropic-openai-chat/decode';
import { decodeInBatches } from '../decode-in-batches';
import { protocolError } from '../anthropic-openai-chat/response-json';

/**
 * An Ollama `/api/chat` NDJSON body → one object per line (docs/protocol.md §8.3). Line splitting
 * (chunk boundaries anywhere, CRLF, a BOM, blank lines) is parseNdjsonLines' job. Every line must
 * be a JSON object: one that is not becomes GW_UPSTREAM_PROTOCOL, never a silent skip, since a
 * dropped line means lost text or a lost tool call. `{"error":…}` lines are passed on for the
 * stream machine to throw. Reading stops after the `done:true` line, the stream's own end.
 */
export async function* decodeOllamaChatStream(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<OllamaChatStreamLine> {
  for await (const batch of decodeOllamaChatBatches(bytes)) yield* batch;
}

/** decodeOllamaChatStream, one array per network read; a bad line ends it after the lines before it. */
export async function* decodeOllamaChatBatches(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<OllamaChatStreamLine[]> {
  try {
    // Typed for what Ollama sends; the machine still checks each field it reads (untrusted bytes).
    yield* decodeInBatches(parseNdjsonBatches(bytes), (line) => parseFrame(line) as unknown as OllamaChatStreamLine, (line) => (line as { done?: unknown }).done === true);
  } catch (error) {
    if (error instanceof NdjsonParseError) throw protocolError(`The upstream NDJSON stream is malformed: ${error.message}`, error);
    throw error;
  }
}

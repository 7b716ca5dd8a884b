import type { AnthropicStreamEvent } from '@turnout/protocol';
import { assertAnthropicStreamGrammar, foldAnthropicStream, rechunk, sdkFinalMessage } from '@turnout/testing';
import { fromOllamaChatResponse } from '../../src/anthropic-ollama-chat/response';
import { foldOllamaChatStream } from './fold-ollama-stream';
import { contextFor, decodeAll, factsFor, readBytes, readJson, resCases, translateStream, type StreamOutcome } from './res-fixture-cases';

/**
 * The three properties of docs/style.md §7.2, over every streamed res-* fixture:
 *   (a) chunk-split invariance: the transport may split bytes anywhere (inside a line, inside
 *       UTF-8 characters, between CR and LF); the events and the failure must not change;
 *   (b) stream ≡ unary: folding the Anthropic events gives the Message that the unary
 *       translation gives for the folded NDJSON lines, usage estimates included (both paths
 *       estimate from the same characters);
 *   (c) every output satisfies the Anthropic stream grammar (with the `error` frame the gateway
 *       appends when the machine throws).
 */
const streamCases = resCases().filter((c) => c.hasStream);
const SEEDS = 60;

const summary = (outcome: StreamOutcome) => ({ events: outcome.events, error: outcome.error && { code: outcome.error.code, message: outcome.error.message } });

describe('anthropic-ollama-chat response properties', () => {
  it('covers streams with and without failures', () => {
    expect(streamCases.filter((c) => c.meta.streamError === undefined).length).toBeGreaterThanOrEqual(15);
    expect(streamCases.filter((c) => c.meta.streamError !== undefined).length).toBeGreaterThanOrEqual(4);
  });

  describe.each(streamCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const bytes = readBytes(c, 'ollama.stream.ndjson');

    it(`(a) gives the same events for ${SEEDS} random re-chunkings`, async () => {
      const whole = summary(await translateStream([bytes], c.meta));
      for (let seed = 1; seed <= SEEDS; seed++) {
        const chunks = rechunk(bytes, seed, { maxChunkSize: seed % 4 === 0 ? 2 : 1 + (seed % 97) });
        expect(summary(await translateStream(chunks, c.meta))).toEqual(whole);
      }
      // The degenerate split: one byte at a time.
      const bytewise = Array.from(bytes, (byte) => Uint8Array.of(byte));
      expect(summary(await translateStream(bytewise, c.meta))).toEqual(whole);
    });

    if (!c.meta.streamError && c.meta.unaryEquivalent !== false) {
      it('(b) folds to the unary translation of the folded NDJSON lines', async () => {
        const { events, machine } = await translateStream([bytes], c.meta);
        const folded = foldAnthropicStream(events);
        const unary = fromOllamaChatResponse(foldOllamaChatStream(await decodeAll(bytes)), contextFor(), factsFor(c.meta));
        expect(folded).toEqual(unary.body);
        // The SDK's own accumulator agrees with the strict fold.
        expect(await sdkFinalMessage(events)).toEqual(folded);
        // The machine reports what it told the client.
        expect(machine.stopReason).toBe(folded.stop_reason);
        expect(machine.usage).toEqual(unary.usage);
      });
    }

    if (c.hasResponse && !c.meta.streamError && c.meta.unaryEquivalent !== false) {
      it('(b) matches its non-streaming twin', async () => {
        const { events } = await translateStream([bytes], c.meta);
        const unary = fromOllamaChatResponse(readJson(c, 'ollama.response.json'), contextFor(), factsFor(c.meta));
        expect(foldAnthropicStream(events)).toEqual(unary.body);
      });
    }

    it('(c) satisfies the Anthropic stream grammar', async () => {
      const { events, error } = await translateStream([bytes], c.meta);
      if (error === undefined) return assertAnthropicStreamGrammar(events);
      // Nothing emitted: the gateway can still answer with a plain HTTP error status.
      if (events.length === 0) return expect(error.status).toBeGreaterThanOrEqual(400);
      const frame: AnthropicStreamEvent = { type: 'error', error: { type: error.anthropicType, message: error.message } };
      assertAnthropicStreamGrammar([...events, frame]);
    });
  });
});

import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import { foldAnthropicStream, foldOpenAiChatStream, rechunk, type FoldableOpenAiItem } from '@turnout/testing';
import type { OpenAiChatCompletion } from '@turnout/protocol';
import { anthropicMessageToChat } from '../../src/openai-chat-anthropic/response';
import { CHAT_DONE, type ChatStreamItem } from '../../src/openai-chat-anthropic/stream';
import { cases, contextFor, resCase, streamBytes, translateStream, type StreamOutcome } from './cases';

/**
 * The three properties (docs/style.md §7.2) over every streamed res-* case of this pair:
 *   (a) chunk-split invariance: however the transport splits the Anthropic bytes, the chunks
 *       and the failure are the same;
 *   (b) stream ≡ unary: the folded chunks are the chat completion the unary translation gives
 *       for the folded Anthropic stream;
 *   (c) the chunk grammar: a role chunk first, one finish_reason, the usage chunk only when
 *       asked and just before `[DONE]`, `[DONE]` once and last; and the openai SDK's own
 *       accumulator (ChatCompletionStream) reads it to the same completion.
 */
const SEEDS = 60;
const streamed = cases('res-')
  .map(resCase)
  .filter((c) => streamBytes(c) !== undefined);
const summary = (outcome: StreamOutcome) => ({ items: outcome.items, error: outcome.error && { code: outcome.error.code, message: outcome.error.message } });
const chunksOf = (items: readonly ChatStreamItem[]) => items.filter((item): item is Exclude<ChatStreamItem, typeof CHAT_DONE> => item !== CHAT_DONE);

/** Tool arguments compared as JSON (the stream relays the upstream's spelling, the unary body re-serializes); empty content is no content. */
function comparable(completion: OpenAiChatCompletion): unknown {
  const choice = completion.choices[0]!;
  const message = choice.message as unknown as Record<string, unknown>;
  const calls = (message.tool_calls as Array<{ id: string; function: { name: string; arguments: string } }> | undefined) ?? [];
  return {
    id: completion.id,
    model: completion.model,
    content: message.content === '' ? null : message.content,
    reasoning: message.reasoning_content ?? null,
    calls: calls.map((call) => ({ id: call.id, name: call.function.name, arguments: JSON.parse(call.function.arguments || '{}') })),
    finish: choice.finish_reason,
  };
}

describe.each(streamed.map((c) => [c.name, c] as const))('openai-chat ← anthropic-messages properties: %s', (_name, c) => {
  const bytes = streamBytes(c) as Buffer;

  it(`(a) gives the same chunks for ${SEEDS} random re-chunkings and byte by byte`, async () => {
    const whole = summary(await translateStream([bytes], c.meta));
    for (let seed = 1; seed <= SEEDS; seed++) {
      const chunks = rechunk(bytes, seed, { maxChunkSize: seed % 4 === 0 ? 2 : 1 + (seed % 97) });
      expect(summary(await translateStream(chunks, c.meta))).toEqual(whole);
    }
    expect(summary(await translateStream(Array.from(bytes, (byte) => Uint8Array.of(byte)), c.meta))).toEqual(whole);
  });

  if (!c.meta.streamError) {
    it('(b) folds to the unary translation of the folded Anthropic stream', async () => {
      const { items, events, machine } = await translateStream([bytes], c.meta);
      const folded = foldOpenAiChatStream(items.map((item): FoldableOpenAiItem => (item === CHAT_DONE ? { kind: 'done' } : { kind: 'chunk', chunk: item })));
      const unary = anthropicMessageToChat(foldAnthropicStream(events), contextFor(c.meta));
      expect(comparable(folded)).toEqual(comparable(unary.body));
      if (c.meta.includeUsage) expect(folded.usage).toEqual(unary.body.usage);
      expect(machine.stopReason).toBe(unary.stopReason);
      expect(machine.usage).toEqual(unary.usage);
    });
  }

  it('(c) follows the chunk grammar, and the openai SDK accumulates it', async () => {
    const { items, error } = await translateStream([bytes], c.meta);
    const chunks = chunksOf(items);
    expect(chunks[0]?.choices?.[0]?.delta).toEqual({ role: 'assistant', content: '' });
    for (const chunk of chunks) expect(chunk).toMatchObject({ id: chunks[0]!.id, object: 'chat.completion.chunk', model: 'gpt-client-model', created: 1764806400 });
    const finishes = chunks.flatMap((chunk) => (chunk.choices ?? []).map((choice) => choice.finish_reason)).filter((reason) => reason !== null);
    if (error !== undefined) {
      expect(items).not.toContain(CHAT_DONE);
      expect(finishes).toEqual([]);
      return;
    }
    expect(items.filter((item) => item === CHAT_DONE)).toHaveLength(1);
    expect(items[items.length - 1]).toBe(CHAT_DONE);
    expect(finishes).toHaveLength(1);
    const usageChunks = chunks.filter((chunk) => chunk.usage);
    expect(usageChunks).toHaveLength(c.meta.includeUsage ? 1 : 0);
    if (c.meta.includeUsage) expect(items[items.length - 2]).toMatchObject({ choices: [], usage: expect.any(Object) });
    for (const chunk of chunks) {
      for (const call of chunk.choices?.[0]?.delta.tool_calls ?? []) {
        if (call.id !== undefined) expect(call).toMatchObject({ type: 'function', function: { name: expect.any(String), arguments: '' } });
      }
    }
    const ndjson = chunks.map((chunk) => `${JSON.stringify(chunk)}\n`).join('');
    const sdk = ChatCompletionStream.fromReadableStream(new Response(ndjson).body as ReadableStream);
    const final = await sdk.finalChatCompletion();
    const folded = foldOpenAiChatStream(chunks.map((chunk) => ({ kind: 'chunk', chunk })));
    // `reasoning_content` is not OpenAI's: the SDK keeps only its last piece, so it is compared by the fold alone.
    const withoutReasoning = (completion: OpenAiChatCompletion) => ({ ...(comparable(completion) as object), reasoning: undefined });
    expect(withoutReasoning(final as unknown as OpenAiChatCompletion)).toEqual(withoutReasoning(folded));
  });
});

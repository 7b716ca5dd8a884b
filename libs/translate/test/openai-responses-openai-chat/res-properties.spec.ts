import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { foldOpenAiChatStream, rechunk } from '@turnout/testing';
import { chatCompletionToResponse } from '../../src/openai-responses-openai-chat/response';
import type { ResponsesEvent } from '../../src/openai-responses-openai-chat/stream';
import { chatStreams, contextFor, translateStream, type ResponsesOutcome } from './cases';

/**
 * The properties of the responses ← chat pair over every chat stream we hold:
 *   (a) chunk-split invariance of the events and the failure;
 *   (b) stream ≡ unary: the Response in `response.completed` says what the unary translation
 *       of the folded chat stream says (reasoning, text, calls; see `said`), with its usage;
 *   (c) the Responses grammar as the openai SDK reads it: its accumulator takes every event
 *       (it throws on an unknown event, an item event before its item, a delta to the wrong
 *       part), sequence numbers run 0, 1, 2…, and the accumulated snapshot is the final Response.
 *       A broken stream ends, through `fail`, with `response.failed` and `error`.
 */
const SEEDS = 40;
const summary = (outcome: ResponsesOutcome) => ({ events: outcome.events, error: outcome.error && { code: outcome.error.code, message: outcome.error.message } });
/**
 * What a Response says, whatever the item order: a stream keeps reasoning and text in the order
 * they came (several items when they alternate), a unary body has one of each; calls keep their order.
 */
function said(output: readonly unknown[]): unknown {
  const items = output as Array<Record<string, any>>;
  const text = (type: string) => items.filter((item) => item.type === type).map((item) => (item.content as Array<{ text: string }>).map((part) => part.text).join('')).join('');
  return {
    reasoning: text('reasoning'),
    message: text('message'),
    calls: items.filter((item) => item.type === 'function_call').map(({ id: _id, ...call }) => call),
    statuses: [...new Set(items.map((item) => item.status))],
  };
}

function accumulate(events: readonly ResponsesEvent[]): Response {
  let snapshot: Response | undefined;
  for (const event of events) snapshot = accumulateResponse(event as unknown as ResponseStreamEvent, snapshot);
  return snapshot as Response;
}

describe.each(chatStreams().map((s) => [s.name, s.bytes] as const))('openai-responses ← openai-chat properties: %s', (_name, bytes) => {
  it(`(a) gives the same events for ${SEEDS} random re-chunkings and byte by byte`, async () => {
    const whole = summary(await translateStream([bytes]));
    for (let seed = 1; seed <= SEEDS; seed++) {
      const chunks = rechunk(bytes, seed, { maxChunkSize: seed % 4 === 0 ? 2 : 1 + (seed % 97) });
      expect(summary(await translateStream(chunks))).toEqual(whole);
    }
    expect(summary(await translateStream(Array.from(bytes, (byte) => Uint8Array.of(byte))))).toEqual(whole);
  });

  it('(b) completes with the output the unary translation gives', async () => {
    const { events, items, error } = await translateStream([bytes]);
    if (error !== undefined) return; // a broken stream has no unary twin; (c) covers how it ends
    const completed = events[events.length - 1] as unknown as { response: { output: unknown[]; usage: unknown; status: string } };
    const unary = chatCompletionToResponse(foldOpenAiChatStream(items), contextFor()) as { output: unknown[]; usage: unknown; status: string };
    expect(said(completed.response.output)).toEqual(said(unary.output));
    expect(completed.response.usage).toEqual(unary.usage);
    expect(completed.response.status).toBe(unary.status);
  });

  it('(c) is read by the openai SDK accumulator, numbered, and ends in one terminal event', async () => {
    const { events, error, machine } = await translateStream([bytes]);
    const all = error === undefined ? events : [...events, ...machine.fail(error.code, error.message)];
    expect(all.map((event) => event.sequence_number)).toEqual(all.map((_, index) => index));
    expect(all[0]?.type).toBe('response.created');
    const terminal = all.filter((event) => ['response.completed', 'response.incomplete', 'response.failed'].includes(event.type));
    expect(terminal).toHaveLength(1);
    const snapshot = accumulate(all);
    const final = (terminal[0] as unknown as { response: Response }).response;
    if (error === undefined) {
      expect(all[all.length - 1]).toBe(terminal[0]);
      expect(snapshot.output).toEqual(final.output);
      for (const item of final.output) expect(item).toMatchObject({ status: 'completed' });
    } else {
      expect(final).toMatchObject({ status: 'failed', error: { code: error.code, message: error.message } });
      expect(all[all.length - 1]).toMatchObject({ type: 'error', code: error.code, message: error.message });
    }
  });
});

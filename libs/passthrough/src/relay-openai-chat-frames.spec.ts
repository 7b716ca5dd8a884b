import { GatewayError } from '@turnout/errors';
import { fromChunks, rechunk } from '@turnout/testing';
import { OpenAiChatStreamFacts, relayOpenAiChatFrames } from './relay-openai-chat-frames';

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'upstream-model', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
const usage = `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"upstream-model","choices":[],"usage":{"prompt_tokens":30,"completion_tokens":5,"total_tokens":35,"prompt_tokens_details":{"cached_tokens":20}}}\n\n`;
const STREAM = [': keep-alive\n\n', chunk({ role: 'assistant', content: '' }), chunk({ content: 'héllo' }), chunk({}, 'stop'), usage, 'data: [DONE]\n\n'].join('');

async function relay(chunks: readonly Uint8Array[], rename?: string, hideUsageChunk = false) {
  const facts = new OpenAiChatStreamFacts();
  const out: string[] = [];
  let error: unknown;
  try {
    for await (const frames of relayOpenAiChatFrames(fromChunks(chunks), { facts, rename, hideUsageChunk })) out.push(frames);
  } catch (caught) {
    error = caught;
  }
  return { text: out.join(''), facts, error, writes: out };
}

describe('relayOpenAiChatFrames', () => {
  it('relays the data frames byte for byte, drops comments, and reads usage and the finish reason on the side', async () => {
    const { text, facts, error } = await relay([Buffer.from(STREAM)]);
    expect(error).toBeUndefined();
    expect(text).toBe(STREAM.replace(': keep-alive\n\n', ''));
    expect(facts.usage).toEqual({ inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 20, cacheCreationInputTokens: 0, reported: true });
    expect(facts.finishReason).toBe('stop');
    expect(facts.sawDone).toBe(true);
    expect(facts.firstContentAt).toEqual(expect.any(Number));
  });

  it('renames the model in every chunk when the route rewrote it, and nothing else', async () => {
    const { text } = await relay([Buffer.from(STREAM)], 'client-model');
    expect(text).toBe(STREAM.replace(': keep-alive\n\n', '').replaceAll('"model":"upstream-model"', '"model":"client-model"'));
  });

  it('reads but does not relay the usage chunk the gateway asked for on its own', async () => {
    const { text, facts } = await relay([Buffer.from(STREAM)], undefined, true);
    expect(text).toBe(STREAM.replace(': keep-alive\n\n', '').replace(usage, ''));
    expect(facts.usage?.outputTokens).toBe(5);
  });

  it('gives the same bytes however the transport splits them, and never part of a frame', async () => {
    const bytes = Buffer.from(STREAM);
    const whole = (await relay([bytes], 'client-model')).text;
    for (let seed = 1; seed <= 40; seed++) {
      const { text, writes } = await relay(rechunk(bytes, seed, { maxChunkSize: 1 + (seed % 50) }), 'client-model');
      expect(text).toBe(whole);
      for (const write of writes) expect(write).toMatch(/^(data: [^\n]*\n\n)+$/);
    }
  });

  it('stops at [DONE]: what the upstream sends after it is not read', async () => {
    const facts = new OpenAiChatStreamFacts();
    let reads = 0;
    async function* body(): AsyncGenerator<Uint8Array> {
      reads++;
      yield Buffer.from(chunk({ content: 'Hi' }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
      reads++;
      yield Buffer.from(chunk({ content: 'late' }));
    }
    let text = '';
    for await (const frames of relayOpenAiChatFrames(body(), { facts })) text += frames;
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text).not.toContain('late');
    expect(reads).toBe(1);
  });

  it('ends with the upstream error a chunk carries, after the frames before it', async () => {
    const { text, error } = await relay([Buffer.from(chunk({ content: 'Hel' }) + 'data: {"error":{"code":500,"message":"slot crashed","type":"server_error"}}\n\n')]);
    expect(text).toBe(chunk({ content: 'Hel' }));
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toContain('slot crashed');
  });

  it('refuses a data frame that is not a JSON object', async () => {
    const { error } = await relay([Buffer.from('data: {"id":\n\n')]);
    expect((error as GatewayError).code).toBe('GW_UPSTREAM_PROTOCOL');
  });

  it('calls a stream cut before any finish reason or [DONE] broken, also mid-frame', async () => {
    expect(((await relay([Buffer.from(chunk({ content: 'Hel' }))])).error as GatewayError).code).toBe('GW_UPSTREAM_STREAM_ENDED');
    expect(((await relay([Buffer.from(chunk({ content: 'Hel' }) + 'data: {"id"')])).error as GatewayError).code).toBe('GW_UPSTREAM_STREAM_ENDED');
    // A finish reason without [DONE] is a whole answer (some servers omit the terminator).
    expect((await relay([Buffer.from(chunk({ content: 'Hi' }) + chunk({}, 'stop'))])).error).toBeUndefined();
  });
});

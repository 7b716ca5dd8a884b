import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DIALECT, type AnthropicRequest, type AnthropicStreamEvent } from '@turnout/protocol';
import { assertAnthropicStreamGrammar, fromChunks, sequentialIds } from '@turnout/testing';
import { TranslatorTable } from '../src/translator-table';
import type { TranslateContext } from '../src/translator';

/** Recorded from the real llama-server (res-llama-stop-sequence-single): one stream, its unary twin. */
const FIXTURE = join(__dirname, 'fixtures', 'anthropic-openai-chat', 'res-llama-stop-sequence-single');
const RESULTS = [{ type: 'dangerous_tool_use', status: { type: 'unsupported' } }];

const context = (): TranslateContext => ({ requestId: 'r', requestedModel: 'claude-opus-4-7', upstreamModel: 'tiny', dialect: DEFAULT_DIALECT, newId: sequentialIds() });
const request = (extra: Record<string, unknown>): AnthropicRequest =>
  ({ model: 'claude-opus-4-7', max_tokens: 16, stop_sequences: ['e'], messages: [{ role: 'user', content: 'Hello' }], ...extra }) as AnthropicRequest;
const AUTO_MODE = { safeguards: [{ type: 'dangerous_tool_use', classifier_context: { permission_mode: 'auto' } }] };

async function streamed(body: AnthropicRequest): Promise<AnthropicStreamEvent[]> {
  const exchange = TranslatorTable.standard().get('anthropic-messages', 'openai-chat').begin(body, context());
  const machine = exchange.createStream();
  const events: AnthropicStreamEvent[] = [];
  for await (const batch of exchange.decode(fromChunks([readFileSync(join(FIXTURE, 'openai.stream.sse'))]))) for (const item of batch) events.push(...machine.push(item));
  events.push(...machine.end());
  return events;
}

describe('safeguard_results on the translation track (Claude Code auto mode)', () => {
  const translator = () => TranslatorTable.standard().get('anthropic-messages', 'openai-chat');

  it('never sends safeguards upstream', () => {
    const body = translator().begin(request(AUTO_MODE), context()).upstreamBody as Record<string, unknown>;
    expect(body).not.toHaveProperty('safeguards');
  });

  it('answers a unary request with top-level safeguard_results, not evaluated', () => {
    const unary = translator().begin(request(AUTO_MODE), context()).fromResponse(JSON.parse(readFileSync(join(FIXTURE, 'openai.response.json'), 'utf8')));
    expect(unary.body).toMatchObject({ stop_reason: 'stop_sequence', safeguard_results: RESULTS });
  });

  it('puts them in message_delta.delta of a stream, which stays grammatical', async () => {
    const events = await streamed(request(AUTO_MODE));
    assertAnthropicStreamGrammar(events);
    const delta = events.find((event) => event.type === 'message_delta');
    expect(delta).toMatchObject({ delta: { stop_reason: 'stop_sequence', safeguard_results: RESULTS } });
  });

  it('adds nothing when the request asked for no safeguards', async () => {
    const unary = translator().begin(request({}), context()).fromResponse(JSON.parse(readFileSync(join(FIXTURE, 'openai.response.json'), 'utf8')));
    expect(unary.body).not.toHaveProperty('safeguard_results');
    const delta = (await streamed(request({}))).find((event) => event.type === 'message_delta');
    expect(delta?.type === 'message_delta' && delta.delta).not.toHaveProperty('safeguard_results');
  });

  it('echoes each requested safeguard type, bounded', () => {
    const many = { safeguards: Array.from({ length: 40 }, (_, i) => ({ type: i === 0 ? 'x'.repeat(500) : 'dangerous_tool_use' })) };
    const unary = translator().begin(request(many), context()).fromResponse(JSON.parse(readFileSync(join(FIXTURE, 'openai.response.json'), 'utf8')));
    const results = (unary.body as unknown as { safeguard_results: { type: string }[] }).safeguard_results;
    expect(results).toHaveLength(16);
    expect(results[0]?.type).toHaveLength(64);
  });
});

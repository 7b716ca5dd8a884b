import type { FunctionTool, ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { anthropicMessage, anthropicStream, startOpenAiHarness, stopOpenAiHarness, type OpenAiHarness } from './openai-harness';
import { chunkFrame, completion, DONE_FRAME, usageFrame } from './openai-chunks';

let h: OpenAiHarness;
beforeAll(async () => {
  h = await startOpenAiHarness();
});
afterAll(() => stopOpenAiHarness(h));
afterEach(() => {
  for (const upstream of [h.compatible, h.anthropic]) {
    expect(upstream.unexpected).toEqual([]);
    expect(upstream.pending).toBe(0);
  }
});

const SSE = { 'content-type': 'text/event-stream' };
const JSON_TYPE = { 'content-type': 'application/json' };
const weather: FunctionTool = { type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: false };
const lastBody = (upstream: OpenAiHarness['compatible']) => JSON.parse(upstream.requests[upstream.requests.length - 1]!.body) as Record<string, any>;

/** Streams through the SDK's own stream helper (which checks the grammar as it accumulates) and returns the events and the final Response. */
async function streamed(model: string, input: string | ResponseInputItem[]) {
  const stream = h.client.responses.stream({ model, input, instructions: 'Be brief.', tools: [weather], store: false });
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return { events, final: await stream.finalResponse() };
}

function expectNumbered(events: readonly ResponseStreamEvent[]): void {
  expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
  expect(events[0]!.type).toBe('response.created');
}

describe('POST /v1/responses (stateless)', () => {
  it('streams a function call from an OpenAI-compatible upstream, then takes its output back (a round trip)', async () => {
    h.compatible.expect({ path: '/v1/chat/completions' }).respond({
      headers: SSE,
      frames: [
        chunkFrame({ role: 'assistant', content: null }),
        chunkFrame({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
        chunkFrame({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
        chunkFrame({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
        chunkFrame({}, 'tool_calls'),
        usageFrame(30, 12),
        DONE_FRAME,
      ],
      frameDelayMs: 5,
    });
    const { events, final } = await streamed('local-qwen', 'Weather in Paris?');
    expectNumbered(events);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(final.status).toBe('completed');
    expect(final.model).toBe('local-qwen');
    expect(final.output).toEqual([expect.objectContaining({ type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' })]);
    expect(final.usage).toMatchObject({ input_tokens: 30, output_tokens: 12, total_tokens: 42 });
    expect(lastBody(h.compatible)).toMatchObject({
      model: 'upstream-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: weather.parameters } }],
    });

    h.compatible.expect({ path: '/v1/chat/completions' }).respond({
      headers: SSE,
      frames: [chunkFrame({ role: 'assistant', content: 'Sunny, ' }), chunkFrame({ content: '21 degrees.' }), chunkFrame({}, 'stop'), usageFrame(50, 6), DONE_FRAME],
    });
    const call = final.output[0] as { call_id: string; name: string; arguments: string };
    const second = await streamed('local-qwen', [
      { role: 'user', content: 'Weather in Paris?' },
      { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
      { type: 'function_call_output', call_id: call.call_id, output: '{"celsius":21}' },
    ]);
    expectNumbered(second.events);
    expect(second.final.output_text).toBe('Sunny, 21 degrees.');
    expect(lastBody(h.compatible).messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"celsius":21}' },
    ]);
  });

  it('streams a function call from an Anthropic upstream, then takes its output back (a round trip)', async () => {
    h.anthropic.expect({ path: '/v1/messages' }).respond({ headers: SSE, frames: anthropicStream({ text: 'Checking.', tool: { id: 'toolu_1', name: 'get_weather', json: ['{"city":', '"Paris"}'] } }) });
    const { events, final } = await streamed('claude-sonnet', 'Weather in Paris?');
    expectNumbered(events);
    expect(final.output.map((item) => item.type)).toEqual(['message', 'function_call']);
    expect(final.output_text).toBe('Checking.');
    expect(final.output[1]).toMatchObject({ call_id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(final.usage).toMatchObject({ input_tokens: 12, output_tokens: 9 });
    expect(lastBody(h.anthropic)).toMatchObject({ model: 'claude-upstream', system: 'Be brief.', stream: true, tools: [{ name: 'get_weather' }] });

    h.anthropic.expect({ path: '/v1/messages' }).respond({ headers: SSE, frames: anthropicStream({ text: 'Sunny, 21 degrees.' }) });
    const second = await streamed('claude-sonnet', [
      { role: 'user', content: 'Weather in Paris?' },
      { type: 'function_call', call_id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'toolu_1', output: '{"celsius":21}' },
    ]);
    expect(second.final.output_text).toBe('Sunny, 21 degrees.');
    expect(lastBody(h.anthropic).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '{"celsius":21}' }] },
    ]);
  });

  it('answers unary requests as a Response, from either kind of upstream', async () => {
    h.compatible.expect({ path: '/v1/chat/completions' }).respond({ headers: JSON_TYPE, json: completion({ content: 'Hello!' }, 'stop', 8, 2) });
    const local = await h.client.responses.create({ model: 'local-qwen', input: 'Hi', max_output_tokens: 50 });
    expect(local).toMatchObject({ object: 'response', status: 'completed', model: 'local-qwen', output_text: 'Hello!', usage: { input_tokens: 8, output_tokens: 2 } });
    expect(lastBody(h.compatible).max_tokens).toBe(50);

    h.anthropic.expect({ path: '/v1/messages' }).respond({ headers: JSON_TYPE, json: anthropicMessage([{ type: 'text', text: 'Bonjour!' }], 'max_tokens') });
    const remote = await h.client.responses.create({ model: 'claude-sonnet', input: 'Hi' });
    expect(remote).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output_text: 'Bonjour!' });
  });

  it('refuses previous_response_id with a clear 400: there is no response store', async () => {
    await expect(h.client.responses.create({ model: 'local-qwen', input: 'Hi', previous_response_id: 'resp_123' })).rejects.toMatchObject({
      status: 400,
      param: 'previous_response_id',
      message: expect.stringContaining('stateless'),
    });
  });

  it('ends a stream that fails mid-way with response.failed and an error event', async () => {
    h.compatible.expect({ path: '/v1/chat/completions' }).respond({
      headers: SSE,
      frames: [chunkFrame({ role: 'assistant', content: 'Hel' }), 'data: {"error":{"code":500,"message":"slot crashed","type":"server_error"}}\n\n'],
    });
    const stream = await h.client.responses.create({ model: 'local-qwen', input: 'Hi', stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expectNumbered(events);
    const failed = events.find((event) => event.type === 'response.failed');
    expect(failed).toMatchObject({ response: { status: 'failed', error: { message: expect.stringContaining('slot crashed') } } });
    expect(events[events.length - 1]).toMatchObject({ type: 'error', message: expect.stringContaining('slot crashed') });
  });
});

it('metrics count Responses requests and their tokens under api="responses"', async () => {
  const text = await (await fetch(`${h.gateway.url}/metrics`)).text();
  expect(text).toMatch(/^turnout_requests_total\{model="local-\*",provider="compatible",mode="native",stream="true",outcome="completed",api="responses"\} [1-9]/m);
  expect(text).toMatch(/^turnout_tokens_total\{model="claude-\*",provider="anthropic-api",type="input",api="responses"\} [1-9]/m);
  expect(text).not.toMatch(/api="chat_completions"|api="messages"/);
});

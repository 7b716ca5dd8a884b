import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
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
const weather: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};
const question: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Weather in Paris?' },
];
const lastBody = (upstream: OpenAiHarness['compatible']) => JSON.parse(upstream.requests[upstream.requests.length - 1]!.body) as Record<string, any>;
const schema = { type: 'object', properties: { city: { type: 'string' }, celsius: { type: 'number' } }, required: ['city', 'celsius'], additionalProperties: false };

describe('POST /v1/chat/completions, passthrough to an OpenAI-compatible upstream', () => {
  it('streams a tool call the SDK assembles, then takes the tool result back (a round trip)', async () => {
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
    const stream = h.client.chat.completions.stream({ model: 'local-qwen', messages: question, tools: [weather], stream_options: { include_usage: true } });
    const first = await stream.finalChatCompletion();
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(call).toMatchObject({ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    // Renamed back: the client sees the model it asked for, in every chunk.
    expect(first.model).toBe('local-qwen');
    expect(first.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 12 });
    const sent = h.compatible.requests[h.compatible.requests.length - 1]!;
    expect(sent.headers.authorization).toBe('Bearer compatible-secret');
    expect(JSON.parse(sent.body)).toMatchObject({ model: 'upstream-model', stream: true, tools: [weather] });

    h.compatible.expect({ path: '/v1/chat/completions' }).respond({ headers: JSON_TYPE, json: completion({ content: 'Sunny, 21 degrees.' }, 'stop', 50, 6) });
    const second = await h.client.chat.completions.create({
      model: 'local-qwen',
      messages: [...question, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'call_1', content: '{"celsius":21}' }],
      tools: [weather],
    });
    expect(second.choices[0]!.message.content).toBe('Sunny, 21 degrees.');
    expect(second.model).toBe('local-qwen');
    expect(lastBody(h.compatible).messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"celsius":21}' });
  });

  it('forwards the client bytes untouched except the model (unknown fields and spellings survive)', async () => {
    h.compatible.expect({ path: '/v1/chat/completions' }).respond({ headers: JSON_TYPE, json: completion({ content: 'ok' }, 'stop') });
    const body = '{"model":"local-x" ,"messages":[{"role":"user","content":"caf\\u00e9"}],"temperature":1.0,"x_vendor":{"keep":[1, 2.50]}}';
    const response = await fetch(`${h.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { ...JSON_TYPE, authorization: 'Bearer client-key' }, body });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-turnout-mode')).toBe('native');
    expect(h.compatible.requests[h.compatible.requests.length - 1]!.body).toBe(body.replace('"local-x"', '"upstream-model"'));
  });

  it('answers json_schema unary requests with the upstream JSON, the schema forwarded as sent', async () => {
    h.compatible.expect({ path: '/v1/chat/completions' }).respond({ headers: JSON_TYPE, json: completion({ content: '{"city":"Paris","celsius":21}' }, 'stop') });
    const answer = await h.client.chat.completions.create({
      model: 'local-qwen',
      messages: question,
      response_format: { type: 'json_schema', json_schema: { name: 'weather', schema, strict: true } },
    });
    expect(JSON.parse(answer.choices[0]!.message.content!)).toEqual({ city: 'Paris', celsius: 21 });
    expect(lastBody(h.compatible).response_format).toEqual({ type: 'json_schema', json_schema: { name: 'weather', schema, strict: true } });
  });

  it('keeps a slow stream alive with SSE comments, which the SDK skips; asks for usage the client did not, and keeps it from the client', async () => {
    h.compatible.expect({ path: '/v1/chat/completions' }).respond({
      headers: SSE,
      frames: [chunkFrame({ role: 'assistant', content: 'Slow' }), chunkFrame({ content: ' answer' }), chunkFrame({}, 'stop'), usageFrame(20, 7), DONE_FRAME],
      frameDelayMs: 400,
    });
    const body = JSON.stringify({ model: 'local-slow', messages: question, stream: true });
    const raw = await fetch(`${h.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { ...JSON_TYPE, authorization: 'Bearer client-key' }, body });
    const text = await raw.text();
    expect(text).toContain(': ping\n\n');
    expect(text).not.toContain('event: ping');
    expect(text).not.toContain('"usage"');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(raw.headers.get('x-turnout-rewrites')).toBe('ask-stream-usage');
    const sent = h.compatible.requests[h.compatible.requests.length - 1]!.body;
    expect(sent).toBe(body.replace('{"model":"local-slow"', '{"stream_options":{"include_usage":true},"model":"upstream-model"'));
    const counted = async () => Number(/^turnout_tokens_total\{model="local-\*",provider="compatible",type="output",api="chat_completions"\} (\d+)$/m.exec(await (await fetch(`${h.gateway.url}/metrics`)).text())?.[1] ?? 0);
    expect(await counted()).toBeGreaterThanOrEqual(7);

    h.compatible.expect({ path: '/v1/chat/completions' }).respond({
      headers: SSE,
      frames: [chunkFrame({ role: 'assistant', content: 'Slow' }), chunkFrame({ content: ' answer' }), chunkFrame({}, 'stop'), DONE_FRAME],
      frameDelayMs: 400,
    });
    const final = await h.client.chat.completions.stream({ model: 'local-qwen', messages: question }).finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('Slow answer');
  });

  it('ends a stream that fails mid-way with an OpenAI error frame the SDK raises', async () => {
    h.compatible.expect({ path: '/v1/chat/completions' }).respond({
      headers: SSE,
      frames: [chunkFrame({ role: 'assistant', content: 'Hel' }), 'data: {"error":{"code":500,"message":"slot crashed","type":"server_error"}}\n\n'],
    });
    const stream = await h.client.chat.completions.create({ model: 'local-qwen', messages: question, stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow(/slot crashed/);
    expect(seen.join('')).toBe('Hel');
  });
});

describe('POST /v1/chat/completions, translated to an Anthropic upstream', () => {
  it('streams a tool call as chunks the SDK assembles, then sends the tool result as a tool_result (a round trip)', async () => {
    h.anthropic.expect({ path: '/v1/messages' }).respond({ headers: SSE, frames: anthropicStream({ tool: { id: 'toolu_1', name: 'get_weather', json: ['{"city":', '"Paris"}'] } }), frameDelayMs: 5 });
    const stream = h.client.chat.completions.stream({ model: 'claude-sonnet', messages: question, tools: [weather], stream_options: { include_usage: true } });
    const first = await stream.finalChatCompletion();
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(call).toMatchObject({ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(first.model).toBe('claude-sonnet');
    expect(first.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 9 });
    const sent = h.anthropic.requests[h.anthropic.requests.length - 1]!;
    expect(sent.headers['x-api-key']).toBe('sk-ant-upstream');
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.parse(sent.body)).toEqual({
      model: 'claude-upstream',
      max_tokens: 8192,
      stream: true,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] }],
      tools: [{ name: 'get_weather', description: 'Weather for a city', input_schema: weather.function.parameters }],
    });

    h.anthropic.expect({ path: '/v1/messages' }).respond({ headers: JSON_TYPE, json: anthropicMessage([{ type: 'text', text: 'Sunny, 21 degrees.' }]) });
    const second = await h.client.chat.completions.create({
      model: 'claude-sonnet',
      messages: [...question, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'toolu_1', content: '{"celsius":21}' }],
      tools: [weather],
      max_completion_tokens: 300,
    });
    expect(second.choices[0]!.message.content).toBe('Sunny, 21 degrees.');
    expect(second.usage).toEqual({ prompt_tokens: 25, completion_tokens: 7, total_tokens: 32, prompt_tokens_details: { cached_tokens: 5 } });
    expect(lastBody(h.anthropic).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '{"celsius":21}' }] },
    ]);
    expect(lastBody(h.anthropic).max_tokens).toBe(300);
  });

  it('answers json_schema unary requests, the schema sent as output_config.format', async () => {
    h.anthropic.expect({ path: '/v1/messages' }).respond({ headers: JSON_TYPE, json: anthropicMessage([{ type: 'text', text: '{"city":"Paris","celsius":21}' }]) });
    const answer = await h.client.chat.completions.create({
      model: 'claude-sonnet',
      messages: question,
      response_format: { type: 'json_schema', json_schema: { name: 'weather', schema, strict: true } },
    });
    expect(JSON.parse(answer.choices[0]!.message.content!)).toEqual({ city: 'Paris', celsius: 21 });
    expect(answer.choices[0]!.finish_reason).toBe('stop');
    expect(lastBody(h.anthropic).output_config).toEqual({ format: { type: 'json_schema', schema } });
  });

  it('streams text, and refuses n > 1 the Anthropic API cannot honour', async () => {
    h.anthropic.expect({ path: '/v1/messages' }).respond({ headers: SSE, frames: anthropicStream({ text: 'Bonjour, Paris!' }) });
    const stream = await h.client.chat.completions.create({ model: 'claude-sonnet', messages: question, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Bonjour, Paris!');
    await expect(h.client.chat.completions.create({ model: 'claude-sonnet', messages: question, n: 2 })).rejects.toMatchObject({ status: 400, param: 'n' });
  });
});

describe('OpenAI-shaped errors', () => {
  it('an unknown model is a 404 with {error:{message,type,param,code}}', async () => {
    const response = await fetch(`${h.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { ...JSON_TYPE, authorization: 'Bearer client-key' }, body: JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toEqual({ message: expect.stringContaining('no route matches "nope"'), type: 'not_found_error', param: 'model', code: 'GW_ROUTE_NOT_FOUND' });
  });

  it('a malformed body names the field, and the SDK raises the matching class', async () => {
    await expect(h.client.chat.completions.create({ model: 'local-qwen', messages: [] })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const response = await fetch(`${h.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { ...JSON_TYPE, 'x-api-key': 'client-key' }, body: '{"model":"local-qwen"' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('an upstream error answer keeps its status, worded for OpenAI', async () => {
    h.compatible.expect({ path: '/v1/chat/completions' }).respond({ status: 429, headers: JSON_TYPE, json: { error: { message: 'busy', type: 'rate_limit' } } });
    await expect(h.client.chat.completions.create({ model: 'local-qwen', messages: question })).rejects.toMatchObject({ status: 429, type: 'rate_limit_error' });
  });
});

describe('the same keys, routes and fallbacks as /v1/messages', () => {
  it('refuses a missing key (401) and a model outside the key (403) in OpenAI shape; Bearer and x-api-key both work', async () => {
    const post = (headers: Record<string, string>, model: string) =>
      fetch(`${h.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
    const missing = await post({}, 'local-qwen');
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { type: string; code: string } }).error).toMatchObject({ type: 'authentication_error', code: 'GW_AUTHENTICATION' });
    const outside = await post({ authorization: 'Bearer local-only-key' }, 'claude-sonnet');
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { error: { type: string } }).error.type).toBe('permission_error');
    h.compatible.expect({ path: '/v1/chat/completions' }).respond({ headers: JSON_TYPE, json: completion({ content: 'ok' }, 'stop') });
    expect((await post({ 'x-api-key': 'local-only-key' }, 'local-qwen')).status).toBe(200);
    // The client's key never reaches the upstream; the provider's does.
    expect(h.compatible.requests[h.compatible.requests.length - 1]!.headers['x-api-key']).toBeUndefined();
  });

  it('falls back to the route\'s next target when the first is down, translating for it', async () => {
    h.anthropic.expect({ path: '/v1/messages' }).respond({ headers: JSON_TYPE, json: anthropicMessage([{ type: 'text', text: 'from the fallback' }]) });
    const { data, response } = await h.client.chat.completions.create({ model: 'fb-model', messages: question }).withResponse();
    expect(data.choices[0]!.message.content).toBe('from the fallback');
    expect(data.model).toBe('fb-model');
    expect(response.headers.get('x-turnout-provider')).toBe('anthropic-api');
    expect(response.headers.get('x-turnout-mode')).toBe('translate');
    expect(lastBody(h.anthropic).model).toBe('claude-upstream');
  });
});

describe('GET /v1/models answers both SDKs', () => {
  it('the openai SDK and the Anthropic SDK both list the same models', async () => {
    const openai: string[] = [];
    for await (const model of h.client.models.list()) {
      expect(model).toMatchObject({ object: 'model', created: 0, owned_by: expect.any(String) });
      openai.push(model.id);
    }
    const anthropic = new Anthropic({ baseURL: h.gateway.url, apiKey: 'client-key', maxRetries: 0 });
    const listed: string[] = [];
    for await (const model of anthropic.models.list()) {
      expect(model).toMatchObject({ type: 'model', display_name: expect.any(String), created_at: '1970-01-01T00:00:00Z' });
      listed.push(model.id);
    }
    expect(openai.length).toBeGreaterThan(0);
    expect(listed).toEqual(openai);
  });
});

describe('metrics', () => {
  it('count chat requests and their tokens under api="chat_completions", refused ones too', async () => {
    const text = await (await fetch(`${h.gateway.url}/metrics`)).text();
    // The model label is the route's name (a bounded label): `local-*`, `claude-*`; an unrouted name is `other`.
    expect(text).toMatch(/^turnout_requests_total\{model="local-\*",provider="compatible",mode="native",stream="true",outcome="completed",api="chat_completions"\} [1-9]/m);
    expect(text).toMatch(/^turnout_requests_total\{model="claude-\*",provider="anthropic-api",mode="translate",stream="false",outcome="completed",api="chat_completions"\} [1-9]/m);
    expect(text).toMatch(/^turnout_tokens_total\{model="local-\*",provider="compatible",type="output",api="chat_completions"\} [1-9]/m);
    expect(text).toMatch(/^turnout_requests_total\{model="other",provider="_none",mode="_none",stream="false",outcome="client_error",api="chat_completions"\} [1-9]/m);
    expect(text).not.toMatch(/api="messages"/);
  });
});

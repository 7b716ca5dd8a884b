import OpenAI from 'openai';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

/**
 * OpenAI chat to Ollama goes to its native /api/chat (issue 17 item 2), which takes the
 * context size (`num_ctx`) that its OpenAI shim cannot and truncates without it; with
 * `translate_to: openai-chat` the shim gets the client's bytes instead.
 */
let upstream: ScriptedUpstream;
let gateway: GatewayProcess;
let client: OpenAI;

beforeAll(async () => {
  upstream = await ScriptedUpstream.start();
  upstream.standing({ method: 'GET', path: '/api/version' }).respond({ json: { version: '0.12.3' } });
  answerBackgroundTraffic(upstream);
  const config = writeTempConfig(`providers:
  - id: ollama
    kind: ollama
    base_url: ${upstream.url}
    retries: { max_attempts: 1 }
    context_window: 32768
  - id: ollama-shim
    kind: ollama
    base_url: ${upstream.url}
    retries: { max_attempts: 1 }
    translate_to: openai-chat
routes:
  - match: "shim-*"
    provider: ollama-shim
    model: "qwen3-coder:30b"
  - match: "*"
    provider: ollama
    model: "qwen3-coder:30b"
`);
  gateway = await startGatewayProcess(config);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});
afterEach(() => {
  expect(upstream.unexpected).toEqual([]);
  expect(upstream.pending).toBe(0);
});

const line = (value: unknown): string => `${JSON.stringify(value)}\n`;
const at = '2026-11-22T10:00:00Z';

it('streams a tool call from /api/chat as chunks the SDK assembles, with num_ctx sent', async () => {
  upstream.expect({ path: '/api/chat' }).respond({
    headers: { 'content-type': 'application/x-ndjson' },
    frames: [
      line({ model: 'qwen3-coder:30b', created_at: at, message: { role: 'assistant', content: 'Let me check.' }, done: false }),
      line({ model: 'qwen3-coder:30b', created_at: at, message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] }, done: false }),
      line({ model: 'qwen3-coder:30b', created_at: at, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 40, eval_count: 12 }),
    ],
  });
  const stream = client.chat.completions.stream({
    model: 'qwen-local',
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    stream_options: { include_usage: true },
  });
  const final = await stream.finalChatCompletion();
  const message = final.choices[0]!.message;
  expect(message.content).toBe('Let me check.');
  expect(message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
  expect(JSON.parse(message.tool_calls![0]!.function.arguments)).toEqual({ city: 'Paris' });
  expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  expect(final.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 12 });
  expect(final.model).toBe('qwen-local');
  const sent = JSON.parse(upstream.requests[upstream.requests.length - 1]!.body) as Record<string, any>;
  expect(sent).toMatchObject({ model: 'qwen3-coder:30b', stream: true, options: { num_ctx: 32768 } });
  expect(sent.tools[0].function.name).toBe('get_weather');
});

it('with translate_to: openai-chat, passes the client bytes to the OpenAI shim instead', async () => {
  upstream.expect({ path: '/v1/chat/completions' }).respond({
    json: { id: 'c', object: 'chat.completion', created: 1, model: 'qwen3-coder:30b', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] },
  });
  const { data, response } = await client.chat.completions.create({ model: 'shim-qwen', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  expect(data.choices[0]!.message.content).toBe('hi');
  expect(data.model).toBe('shim-qwen');
  expect(response.headers.get('x-turnout-mode')).toBe('native');
});

import Anthropic from '@anthropic-ai/sdk';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

/**
 * An Ollama without /v1/messages is translated to its native /api/chat (NDJSON). Claude Code
 * asks for adaptive thinking on every request; a model that cannot think answers 400, and the
 * gateway must still serve it: one retry without thinking, then it remembers.
 */
let upstream: ScriptedUpstream;
let gateway: GatewayProcess;
let client: Anthropic;

beforeAll(async () => {
  upstream = await ScriptedUpstream.start();
  upstream.standing({ method: 'GET', path: '/api/version' }).respond({ json: { version: '0.12.3' } });
  answerBackgroundTraffic(upstream);
  const config = writeTempConfig(`providers:
  - id: ollama
    kind: ollama
    base_url: ${upstream.url}
    messages: auto
    context_window: 32768
routes:
  - match: "*"
    provider: ollama
    model: "qwen3-coder:30b"
`);
  gateway = await startGatewayProcess(config);
  client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
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
const ndjson = [
  line({ model: 'qwen3-coder:30b', created_at: '2026-11-22T10:00:00Z', message: { role: 'assistant', content: 'Hel' }, done: false }),
  line({ model: 'qwen3-coder:30b', created_at: '2026-11-22T10:00:00Z', message: { role: 'assistant', content: 'lo.' }, done: false }),
  line({ model: 'qwen3-coder:30b', created_at: '2026-11-22T10:00:01Z', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 812, eval_count: 3 }),
];

const claudeCodeLike = {
  model: 'claude-sonnet-4-6',
  max_tokens: 256,
  thinking: { type: 'adaptive' as const },
  output_config: { effort: 'medium' },
  messages: [{ role: 'user' as const, content: 'hi' }],
};

it('auto mode on an Ollama without /v1/messages translates to /api/chat with num_ctx from context_window', async () => {
  const providers = (await (await fetch(`${gateway.url}/v1/turnout/providers`)).json()) as { data?: unknown[] } | unknown[];
  const list = (Array.isArray(providers) ? providers : (providers.data ?? [])) as Array<{ id: string; mode: string; mode_reason: string }>;
  expect(list.find((p) => p.id === 'ollama')).toMatchObject({ mode: 'translate' });
  expect(list.find((p) => p.id === 'ollama')?.mode_reason).toContain('0.12.3');
});

it('a model that cannot think gets one retry without thinking, and later requests skip it', async () => {
  upstream.expect({ path: '/api/chat' }).respond({ status: 400, json: { error: '"qwen3-coder:30b" does not support thinking' } });
  upstream.expect({ path: '/api/chat' }).respond({ headers: { 'content-type': 'application/x-ndjson' }, frames: ndjson });
  const stream = client.messages.stream(claudeCodeLike as Anthropic.MessageStreamParams);
  const message = await stream.finalMessage();
  expect(message.content.map((block) => (block.type === 'text' ? block.text : block.type))).toEqual(['Hello.']);
  expect(message.usage.input_tokens).toBe(812);
  const [first, second] = upstream.requests.filter((r) => r.path === '/api/chat').map((r) => JSON.parse(r.body) as Record<string, unknown>);
  expect(first).toMatchObject({ model: 'qwen3-coder:30b', stream: true, think: 'medium', options: { num_ctx: 32768, num_predict: 256 } });
  expect(second).not.toHaveProperty('think');
  expect(second).toMatchObject({ options: { num_ctx: 32768 } });
  const { response } = await stream.withResponse();
  expect(response.headers.get('x-turnout-rewrites')).toContain('drop-thinking');

  upstream.expect({ path: '/api/chat' }).respond({
    json: { model: 'qwen3-coder:30b', created_at: '2026-11-22T10:00:01Z', message: { role: 'assistant', content: 'Hello.' }, done: true, done_reason: 'stop', prompt_eval_count: 812, eval_count: 3 },
  });
  const again = await client.messages.create({ ...claudeCodeLike, stream: false } as Anthropic.MessageCreateParamsNonStreaming).withResponse();
  expect(again.data.content.map((block) => (block.type === 'text' ? block.text : block.type))).toEqual(['Hello.']);
  expect(again.response.headers.get('x-turnout-rewrites')).toContain('drop-thinking');
  expect(JSON.parse(upstream.requests.at(-1)!.body)).not.toHaveProperty('think');
});

it('other 400s from Ollama are not retried and reach the client Anthropic-shaped', async () => {
  upstream.expect({ path: '/api/chat' }).respond({ status: 404, json: { error: 'model "qwen3-coder:30b" not found, try pulling it first' } });
  const failure = await client.messages.create({ model: 'claude-x', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
  expect(failure).toMatchObject({ status: 404 });
  expect((failure as { error: { error: { type: string; message: string } } }).error.error.type).toBe('not_found_error');
});

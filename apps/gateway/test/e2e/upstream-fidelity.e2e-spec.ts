import Anthropic from '@anthropic-ai/sdk';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';
import { fixture } from './gateway-harness';

/**
 * Issue 16, the passthrough side against llama-server's recorded bytes (the live tier runs the
 * same against the real binary): the upstream's content-type survives with its charset, Claude
 * Code's auto-mode `safeguards` never reach a non-Anthropic upstream yet always get an answer,
 * an Anthropic upstream gets them, and llama.cpp's own mid-stream `event: error` reaches the
 * client in Anthropic's shape.
 */
jest.setTimeout(30_000);

const AUTO_MODE = { safeguards: [{ type: 'dangerous_tool_use', classifier_context: { permission_mode: 'auto', version: 1 } }] };
const BETA = 'dangerous-tool-use-2026-09-03';
const NOT_EVALUATED = [{ type: 'dangerous_tool_use', status: { type: 'unsupported' } }];

let llama: ScriptedUpstream;
let anthropic: ScriptedUpstream;
let gateway: GatewayProcess;
let client: Anthropic;

beforeAll(async () => {
  [llama, anthropic] = await Promise.all([ScriptedUpstream.start(), ScriptedUpstream.start()]);
  answerBackgroundTraffic(llama);
  answerBackgroundTraffic(anthropic);
  const config = writeTempConfig(`providers:
  - { id: llama, kind: llama-cpp, base_url: "${llama.url}", messages: native, retries: { max_attempts: 1 } }
  - { id: claude, kind: anthropic, base_url: "${anthropic.url}", api_key_env: UPSTREAM_API_KEY, retries: { max_attempts: 1 } }
routes:
  - { match: "claude-*", provider: claude }
  - { match: "*", provider: llama }
`);
  gateway = await startGatewayProcess(config, { UPSTREAM_API_KEY: 'sk-ant-upstream' });
  client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([llama?.close(), anthropic?.close()]);
});

afterEach(() => {
  for (const upstream of [llama, anthropic]) {
    expect(upstream.unexpected).toEqual([]);
    expect(upstream.pending).toBe(0);
  }
});

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'client-key', ...headers },
    body: JSON.stringify(body),
  });
}

const request = (extra: Record<string, unknown> = {}) => ({ model: 'local', max_tokens: 8, messages: [{ role: 'user', content: 'Hello' }], ...extra });

describe('content-type on passthrough', () => {
  it("keeps the upstream's own value, charset parameter included, unary and stream", async () => {
    llama.expect({ path: '/v1/messages' }).respond({ headers: { 'content-type': 'application/json; charset=utf-8' }, body: fixture('llama-server/messages-basic.response.json') });
    expect((await post(request())).headers.get('content-type')).toBe('application/json; charset=utf-8');
    llama.expect({ path: '/v1/messages' }).respond({ headers: { 'content-type': 'text/event-stream' }, frames: [fixture('llama-server/messages-stream.response.sse')] });
    const stream = await post(request({ stream: true }));
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    await stream.text();
  });
});

describe('Claude Code auto-mode safeguards on passthrough', () => {
  it('a llama-server never sees the field or its beta; the stream answers safeguard_results in message_delta', async () => {
    llama.expect({ path: '/v1/messages' }).respond({ frames: [fixture('llama-server/messages-stream.response.sse')] });
    const events: Anthropic.RawMessageStreamEvent[] = [];
    const stream = client.messages.stream({ ...request(), ...AUTO_MODE } as Anthropic.MessageStreamParams, { headers: { 'anthropic-beta': `${BETA},interleaved-thinking-2025-05-14` } });
    stream.on('streamEvent', (event) => void events.push(structuredClone(event)));
    await stream.finalMessage();
    const sent = llama.requests.at(-1)!;
    expect(JSON.parse(sent.body)).not.toHaveProperty('safeguards');
    expect(sent.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
    const delta = events.find((event) => event.type === 'message_delta') as unknown as { delta: Record<string, unknown> };
    expect(delta.delta).toMatchObject({ stop_reason: 'max_tokens', safeguard_results: NOT_EVALUATED });
  });

  it('a unary answer gets them at the top level; a request without safeguards gets none', async () => {
    llama.expect({ path: '/v1/messages' }).respond({ headers: { 'content-type': 'application/json' }, body: fixture('llama-server/messages-basic.response.json') });
    const unary = (await (await post({ ...request(), ...AUTO_MODE }, { 'anthropic-beta': BETA })).json()) as Record<string, unknown>;
    expect(unary.safeguard_results).toEqual(NOT_EVALUATED);
    expect(llama.requests.at(-1)!.headers['anthropic-beta']).toBeUndefined();
    llama.expect({ path: '/v1/messages' }).respond({ headers: { 'content-type': 'application/json' }, body: fixture('llama-server/messages-basic.response.json') });
    expect(await (await post(request())).json()).not.toHaveProperty('safeguard_results');
  });

  it("the Anthropic API gets both (it runs the classifier) and its answer is relayed as it came", async () => {
    const answer = JSON.parse(fixture('llama-server/messages-basic.response.json')) as Record<string, unknown>;
    const verdict = [{ type: 'dangerous_tool_use', status: { type: 'available', tool_uses: {} } }];
    anthropic.expect({ path: '/v1/messages' }).respond({ json: { ...answer, safeguard_results: verdict } });
    const unary = (await (await post({ ...request({ model: 'claude-opus-4-7' }), ...AUTO_MODE }, { 'anthropic-beta': BETA })).json()) as Record<string, unknown>;
    const sent = anthropic.requests.at(-1)!;
    expect(JSON.parse(sent.body).safeguards).toEqual(AUTO_MODE.safeguards);
    expect(sent.headers['anthropic-beta']).toBe(BETA);
    expect(unary.safeguard_results).toEqual(verdict);
  });
});

describe("llama.cpp's own mid-stream error", () => {
  // Recorded from llama-server (a model variant whose output its parser rejects): `event: error`
  // with llama.cpp's `{code, message, type:"server_error"}`, not Anthropic's shape.
  it('reaches the client as one Anthropic error event the SDK understands', async () => {
    llama.expect({ path: '/v1/messages' }).respond({ frames: [fixture('llama-server/messages-error-midstream.response.sse')] });
    const response = await post(request({ stream: true }));
    const text = await response.text();
    const frames = text.trim().split(/\n\n/);
    const last = frames.at(-1)!;
    expect(last.startsWith('event: error\n')).toBe(true);
    const data = JSON.parse(last.slice(last.indexOf('data:') + 5)) as { type: string; error: { type: string; message: string } };
    expect(data.type).toBe('error');
    expect(data.error.type).toBe('api_error');
    expect(data.error.message).toContain('does not match the expected peg-native format');
  });
});

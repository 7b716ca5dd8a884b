import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

/**
 * Issue 15 case 3, judged by the official SDK: whatever a passthrough upstream does to its
 * event stream, the client receives whole frames only, then exactly one Anthropic error event,
 * which the SDK's stream reader surfaces as an API error, never as a parse failure.
 */
const LLAMA = join(__dirname, '..', 'fixtures', 'llama-server');
const sse = readFileSync(join(LLAMA, 'messages-stream.response.sse'), 'utf8');
const midstreamError = readFileSync(join(LLAMA, 'messages-error-midstream.response.sse'), 'utf8');
const firstDelta = sse.indexOf('event: content_block_delta');
const head = sse.slice(0, firstDelta);
/** What the client sees of the upstream's bytes: the model renamed back to the one it asked for. */
const asClientSees = (text: string): string => text.replace('"model":"tiny"', '"model":"native-model"');

let h: { native: ScriptedUpstream; gateway: GatewayProcess; client: Anthropic };
beforeAll(async () => {
  const native = await ScriptedUpstream.start();
  answerBackgroundTraffic(native);
  // Every test here breaks a stream on purpose: the circuit must not open between them.
  const config = writeTempConfig(`providers:
  - id: native-llama
    kind: llama-cpp
    base_url: ${native.url}
    messages: native
    retries: { max_attempts: 1 }
    circuit: { failure_threshold: 1000 }
routes:
  - match: "native-*"
    provider: native-llama
    model: big-model
    ping_interval_ms: 150
`);
  const gateway = await startGatewayProcess(config);
  h = { native, gateway, client: new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 }) };
}, 30_000);
afterAll(async () => {
  await h?.gateway.stop();
  await h?.native.close();
});

const request = { model: 'native-model', max_tokens: 4, messages: [{ role: 'user' as const, content: 'x' }] };

/** The raw stream the client received, and what the SDK made of the same answer. */
async function both(frames: string[], options: { destroyAfterFrames?: boolean; frameDelayMs?: number } = {}): Promise<{ raw: string; sdkError: unknown }> {
  h.native.expect({ path: '/v1/messages' }).respond({ headers: { 'content-type': 'text/event-stream' }, frames, ...options });
  const response = await fetch(`${h.gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'client-key' },
    body: JSON.stringify({ ...request, stream: true }),
  });
  const raw = await response.text();
  h.native.expect({ path: '/v1/messages' }).respond({ headers: { 'content-type': 'text/event-stream' }, frames, ...options });
  let sdkError: unknown;
  try {
    await h.client.messages.stream(request).finalMessage();
  } catch (error) {
    sdkError = error;
  }
  return { raw, sdkError };
}

/** Every frame the client got is complete and a known Anthropic event; exactly one error, last. */
function expectWellFormedFailure(raw: string): void {
  expect(raw.endsWith('\n\n')).toBe(true);
  const frames = raw.slice(0, -2).split('\n\n');
  for (const frame of frames) {
    expect(frame).toMatch(/^event: [a-z_]+\ndata: \{.*\}$/s);
    JSON.parse(frame.slice(frame.indexOf('data: ') + 6));
  }
  expect(frames.filter((frame) => frame.startsWith('event: error'))).toHaveLength(1);
  const last = JSON.parse(frames.at(-1)!.split('data: ')[1]!);
  expect(last).toMatchObject({ type: 'error', error: { type: expect.stringMatching(/^(api_error|overloaded_error)$/), message: expect.any(String) } });
}

function expectApiError(error: unknown): void {
  expect(error).toBeInstanceOf(Anthropic.APIError);
  expect(error).not.toBeInstanceOf(SyntaxError);
}

describe('passthrough framing under hostile upstreams (official SDK as judge)', () => {
  it('garbage in the middle of the stream', async () => {
    const { raw, sdkError } = await both([head, '\u0000\u00ffgarbage{{{\n\n<html>502</html>\n\n', 'event: content_block_delta\ndata: {"type":"content_blo']);
    expectWellFormedFailure(raw);
    expect(raw.startsWith(asClientSees(head))).toBe(true);
    expectApiError(sdkError);
  });

  it('a close in the middle of a frame', async () => {
    const cut = sse.indexOf('"text_delta"', firstDelta);
    const { raw, sdkError } = await both([sse.slice(0, cut)], { destroyAfterFrames: true });
    expectWellFormedFailure(raw);
    expect(raw).not.toContain('text_delta');
    expectApiError(sdkError);
  });

  it('llama.cpp\'s own error event becomes an Anthropic error event', async () => {
    const { raw, sdkError } = await both([midstreamError]);
    expectWellFormedFailure(raw);
    expect(raw).not.toContain('server_error');
    expect(raw).toContain('does not match the expected peg-native format');
    expectApiError(sdkError);
    expect((sdkError as InstanceType<typeof Anthropic.APIError>).message).toContain('peg-native');
  });

  it('pings go only between whole frames, even when the upstream pauses inside one', async () => {
    // The route pings after 150 ms of silence; the upstream stops 400 ms in the middle of a frame.
    const cut = sse.indexOf('"text_delta"', firstDelta);
    h.native.expect({ path: '/v1/messages' }).respond({ headers: { 'content-type': 'text/event-stream' }, frames: [sse.slice(0, cut), sse.slice(cut)], frameDelayMs: 400 });
    const response = await fetch(`${h.gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'client-key' },
      body: JSON.stringify({ ...request, stream: true }),
    });
    const raw = await response.text();
    expect(raw).toContain('event: ping');
    const withoutPings = raw.split('event: ping\ndata: {"type":"ping"}\n\n').join('');
    expect(withoutPings).toBe(asClientSees(sse));
    for (const frame of raw.slice(0, -2).split('\n\n')) expect(frame).toMatch(/^event: [a-z_]+\ndata: \{.*\}$/s);
  });
});

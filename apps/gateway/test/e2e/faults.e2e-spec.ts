import Anthropic from '@anthropic-ai/sdk';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';
import { chunkFrame, completion, DONE_FRAME, usageFrame } from './openai-chunks';

/**
 * The fault table of the README (issue 6): one test per row. A scripted upstream refuses,
 * hangs, resets, answers 429/503/500 or garbage; the official SDK (no retries of its own) shows
 * what a client sees. Each provider below isolates one behaviour.
 */
jest.setTimeout(30_000);

let main: ScriptedUpstream;
let spare: ScriptedUpstream;
let gateway: GatewayProcess;
let client: Anthropic;

beforeAll(async () => {
  main = answerBackgroundTraffic(await ScriptedUpstream.start());
  spare = answerBackgroundTraffic(await ScriptedUpstream.start());
  const config = writeTempConfig(`providers:
  - id: retrying
    kind: llama-cpp
    base_url: ${main.url}
    messages: translate
    retries: { max_attempts: 3, base_delay_ms: 10, max_delay_ms: 50 }
    circuit: { failure_threshold: 1000 }
  - id: spare
    kind: llama-cpp
    base_url: ${spare.url}
    messages: translate
    retries: { max_attempts: 1 }
  - id: down
    kind: llama-cpp
    base_url: http://127.0.0.1:9
    messages: translate
    retries: { max_attempts: 2, base_delay_ms: 10 }
    circuit: { failure_threshold: 1000 }
  - id: fragile
    kind: llama-cpp
    base_url: http://127.0.0.1:9
    messages: translate
    retries: { max_attempts: 1 }
    circuit: { failure_threshold: 2, min_requests: 2, cooldown_ms: 60000 }
  - id: one-slot
    kind: llama-cpp
    base_url: ${main.url}
    messages: translate
    retries: { max_attempts: 1 }
    limits: { max_in_flight: 1, max_queue: 1, max_wait_ms: 300 }
  - id: slow
    kind: llama-cpp
    base_url: ${main.url}
    messages: translate
    retries: { max_attempts: 1 }
    circuit: { failure_threshold: 1000 }
    timeouts: { first_byte_ms: 300, idle_ms: 300, total_ms: 1500 }
routes:
  - { match: "retry-*", provider: retrying, model: m }
  - { match: "fallback-*", provider: down, model: m, fallbacks: [spare] }
  - { match: "fragile-*", provider: fragile, model: m }
  - { match: "slot-*", provider: one-slot, model: m }
  - { match: "slow-*", provider: slow, model: m }
  - { match: "early-*", provider: down, model: m, fallbacks: [spare], commit: early, ping_interval_ms: 100 }
  - { match: "doomed-*", provider: fragile, model: m, commit: early, ping_interval_ms: 100 }
`);
  // Panic mode off: this suite checks the plain open circuit (test/hostile covers panic mode).
  gateway = await startGatewayProcess(config, { TURNOUT_CIRCUIT_PANIC: 'off' });
  client = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([main?.close(), spare?.close()]);
});
afterEach(() => {
  for (const upstream of [main, spare]) {
    expect(upstream.unexpected).toEqual([]);
    expect(upstream.pending).toBe(0);
  }
});

const ask = (model: string, extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}) =>
  client.messages.create({ model, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }], ...extra }).withResponse();
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as { status: number; error: { error: { type: string; message: string } }; headers: Headers });
const ok = completion({ content: 'fine' }, 'stop');
const chatPath = { path: '/v1/chat/completions' };

describe('retries while nothing reached the client', () => {
  it('503, then 200: retried, the client sees only the answer', async () => {
    main.expect(chatPath).respond({ status: 503, json: { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } } });
    main.expect(chatPath).respond({ json: ok });
    const { data } = await ask('retry-a');
    expect(data.content).toMatchObject([{ type: 'text', text: 'fine' }]);
  });

  it('429 with retry-after: 1 is waited for, then retried', async () => {
    main.expect(chatPath).respond({ status: 429, headers: { 'retry-after': '1' }, json: { error: { code: 429, message: 'busy', type: 'rate_limit_error' } } });
    main.expect(chatPath).respond({ json: ok });
    const started = Date.now();
    await ask('retry-b');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('500 three times: the attempts run out and the client gets the last error', async () => {
    for (let i = 0; i < 3; i++) main.expect(chatPath).respond({ status: 500, json: { error: { code: 500, message: 'boom', type: 'server_error' } } });
    const failure = await failureOf(ask('retry-c'));
    expect(failure?.status).toBe(500);
    expect(failure?.error.error.type).toBe('api_error');
  });

  it('a 400 (the request is wrong) is never retried', async () => {
    main.expect(chatPath).respond({ status: 400, json: { error: { code: 400, message: 'bad field', type: 'invalid_request_error' } } });
    expect((await failureOf(ask('retry-d')))?.status).toBe(400);
  });

  it('after the first streamed byte, a failure is an event: error, never a retry', async () => {
    main.expect(chatPath).respond({ frames: [chunkFrame({ role: 'assistant', content: null }), chunkFrame({ content: 'par' })], destroyAfterFrames: true });
    const stream = client.messages.stream({ model: 'retry-e', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(main.requests.filter((r) => r.path === '/v1/chat/completions').length).toBeGreaterThan(0);
  });
});

describe('fallbacks', () => {
  it('connection refused on the route\'s provider (after its retries): the fallback serves, and says so', async () => {
    spare.expect(chatPath).respond({ json: completion({ content: 'from spare' }, 'stop') });
    const { data, response } = await ask('fallback-a');
    expect(data.content).toMatchObject([{ type: 'text', text: 'from spare' }]);
    expect(response.headers.get('x-turnout-provider')).toBe('spare');
  });
});

describe('circuit breaking', () => {
  it('after failure_threshold failures the circuit opens: 529 at once, the upstream is not called', async () => {
    for (let i = 0; i < 2; i++) expect((await failureOf(ask('fragile-a')))?.status).toBe(502);
    const started = Date.now();
    const failure = await failureOf(ask('fragile-a'));
    expect(Date.now() - started).toBeLessThan(500);
    expect(failure?.status).toBe(529);
    expect(failure?.error.error.type).toBe('overloaded_error');
    expect(failure?.error.error.message).toContain('fragile');
    expect(Number(failure?.headers.get('retry-after'))).toBeGreaterThan(0);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('turnout_circuit_state{provider="fragile"} 2');
    expect(metrics).toContain('turnout_provider_up{provider="fragile"} 0');
  });
});

describe('concurrency limits', () => {
  it('one slot and a queue of one: the second waits, the third gets 529 with retry-after', async () => {
    main.expect(chatPath).respond({ json: ok, delayMs: 200 });
    main.expect(chatPath).respond({ json: ok });
    const first = ask('slot-a');
    await main.nextRequest(main.requests.length);
    const second = ask('slot-b');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = await failureOf(ask('slot-c'));
    expect(third?.status).toBe(529);
    expect(third?.error.error.message).toContain('queue');
    expect(third?.headers.get('retry-after')).toBeTruthy();
    await expect(first).resolves.toBeTruthy();
    await expect(second).resolves.toBeTruthy();
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/turnout_queue_wait_seconds_count\{provider="one-slot"\} [1-9]/);
  });

  it('a client that leaves while queued never reaches the upstream', async () => {
    main.expect(chatPath).respond({ json: ok, delayMs: 250 });
    const before = main.requests.length;
    const first = ask('slot-d');
    await main.nextRequest(before);
    const controller = new AbortController();
    const queued = client.messages.create({ model: 'slot-e', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(queued).rejects.toThrow();
    await first;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(main.requests.length).toBe(before + 1);
  });
});

describe('timeouts, each with its own code', () => {
  it('no headers within first_byte_ms: 504 timeout_error', async () => {
    main.expect(chatPath).respond({ neverRespond: true });
    const failure = await failureOf(ask('slow-a'));
    expect(failure?.status).toBe(504);
    expect(failure?.error.error.message).toContain('first-byte timeout');
  });

  it('silence mid-stream longer than idle_ms: the stream ends with event: error', async () => {
    main.expect(chatPath).respond({ frames: [chunkFrame({ role: 'assistant', content: null }), chunkFrame({ content: 'a' })], hangAfterFrames: true });
    const stream = client.messages.stream({ model: 'slow-b', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    await expect(stream.finalMessage()).rejects.toThrow(/idle timeout/);
  });

  it('a stream that keeps trickling past total_ms ends with the total-timeout error', async () => {
    const frames = [chunkFrame({ role: 'assistant', content: null }), ...Array.from({ length: 40 }, () => chunkFrame({ content: '.' })), chunkFrame({}, 'stop'), usageFrame(1, 40), DONE_FRAME];
    main.expect(chatPath).respond({ frames, frameDelayMs: 100 });
    const stream = client.messages.stream({ model: 'slow-c', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    await expect(stream.finalMessage()).rejects.toThrow(/total timeout/);
  });
});

describe('garbage', () => {
  it('a 200 whose body is not JSON: 502 api_error, not retried (it would repeat), the gateway keeps serving', async () => {
    main.expect(chatPath).respond({ headers: { 'content-type': 'application/json' }, body: '<html>oops</html>' });
    const failure = await failureOf(ask('retry-f'));
    expect(failure?.status).toBe(502);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });
});

describe('early commit (route commit: early)', () => {
  it('the 200 and pings go out before the upstream answers; a failed target still falls back', async () => {
    spare.expect(chatPath).respond({
      frames: [chunkFrame({ role: 'assistant', content: null }), chunkFrame({ content: 'late but fine' }, 'stop'), usageFrame(2, 3), DONE_FRAME],
      delayMs: 450,
    });
    const started = Date.now();
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'early-a', max_tokens: 8, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(400);
    const text = await response.text();
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events.slice(0, 3)).toEqual(['ping', 'ping', 'ping']);
    expect(events).toContain('message_start');
    expect(events.at(-1)).toBe('message_stop');
    expect(text).toContain('late but fine');
  });

  it('when every target fails after an early commit, the client gets one event: error', async () => {
    const stream = client.messages.stream({ model: 'doomed-a', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    await expect(stream.finalMessage()).rejects.toThrow(/overloaded_error.*fragile|connection refused/);
  });
});

describe('cancellation', () => {
  it('a client that disconnects mid-stream: the upstream sees its socket close within 100 ms', async () => {
    main.expect(chatPath).respond({ frames: [chunkFrame({ role: 'assistant', content: null }), chunkFrame({ content: 'x' })], hangAfterFrames: true });
    const controller = new AbortController();
    const stream = client.messages.stream({ model: 'retry-g', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }, { signal: controller.signal });
    // Handled at once: the rejection happens while the test is still waiting for the socket to close.
    const final = stream.finalMessage().then(() => 'completed', (error: Error) => error.name);
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    const request = main.requests.at(-1)!;
    const abortedAt = Date.now();
    controller.abort();
    await request.closed;
    expect(Date.now() - abortedAt).toBeLessThan(100);
    expect(await final).toBe('APIUserAbortError');
  });
});

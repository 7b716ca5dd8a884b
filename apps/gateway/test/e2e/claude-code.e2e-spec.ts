import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSse } from '@turnout/sse';
import { assertAnthropicStreamGrammar } from '@turnout/testing';
import type { AnthropicStreamEvent } from '@turnout/protocol';
import { FIXTURES, startHarness, stopHarness, type Harness } from './gateway-harness';
import { chunkFrame, completion, DONE_FRAME, usageFrame } from './openai-chunks';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));
afterEach(() => {
  expect(h.upstream.unexpected).toEqual([]);
  expect(h.upstream.pending).toBe(0);
});

/** Replays a recorded Claude Code request (exact body bytes and headers) against the gateway. */
function replay(name: string): Promise<Response> {
  const body = readFileSync(join(FIXTURES, 'claude-code', `${name}.body.json`));
  const headers = JSON.parse(readFileSync(join(FIXTURES, 'claude-code', `${name}.headers.json`), 'utf8')) as Record<string, string>;
  delete headers.host;
  delete headers['content-length'];
  delete headers.connection;
  delete headers['accept-encoding'];
  return fetch(`${h.gateway.url}/v1/messages?beta=true`, { method: 'POST', headers, body });
}

const STREAMED_REPLY = [
  chunkFrame({ role: 'assistant', content: null }),
  chunkFrame({ reasoning_content: 'Short answer.' }),
  chunkFrame({ content: 'Hello' }),
  chunkFrame({ content: ' there.' }, 'stop'),
  usageFrame(9000, 12, 8000),
  DONE_FRAME,
];

describe('Claude Code request shapes stream back successfully', () => {
  it.each(['a-first-turn-hello', 'b-tool-result-turn', 'c-thinking-tool-turn', 'd-haiku-no-experimental-betas'])('%s', async (name) => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({ frames: STREAMED_REPLY });
    const response = await replay(name);
    expect(response.status).toBe(200);
    const events: AnthropicStreamEvent[] = [];
    for await (const message of parseSse(response.body as unknown as AsyncIterable<Uint8Array>)) {
      const event = JSON.parse(message.data) as AnthropicStreamEvent;
      expect(message.event).toBe(event.type);
      events.push(event);
    }
    assertAnthropicStreamGrammar(events);
    const start = events[0] as Extract<AnthropicStreamEvent, { type: 'message_start' }>;
    const requested = JSON.parse(readFileSync(join(FIXTURES, 'claude-code', `${name}.body.json`), 'utf8')).model;
    expect(start.message.model).toBe(requested);
    const blocks = events.filter((e) => e.type === 'content_block_start').map((e) => (e as { content_block: { type: string } }).content_block.type);
    expect(blocks).toEqual(['thinking', 'text']);
    const delta = events.find((e) => e.type === 'message_delta') as Extract<AnthropicStreamEvent, { type: 'message_delta' }>;
    expect(delta.usage).toMatchObject({ output_tokens: 12, input_tokens: 1000, cache_read_input_tokens: 8000 });

    // What went upstream is a valid chat request built from Claude Code's shapes.
    const sent = JSON.parse(h.upstream.requests.at(-1)!.body);
    expect(sent.model).toBe(requested.includes('haiku') ? 'small-model' : 'big-model');
    expect(sent.messages[0].role).toBe('system');
    expect(sent.messages.filter((m: { role: string }) => m.role === 'system')).toHaveLength(1);
    expect(JSON.stringify(sent)).not.toContain('cache_control');
    expect(h.upstream.requests.at(-1)!.headers['x-api-key']).toBeUndefined();
  });

  it('f-nonstreaming-fallback gets a JSON Message', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'Hello there.' }, 'stop', 9000, 3) });
    const response = await replay('f-nonstreaming-fallback');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const message = await response.json();
    expect(message).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hello there.' }], stop_reason: 'end_turn' });
  });
});

function llamaFixture(name: string): string {
  return readFileSync(join(FIXTURES, 'llama-server', name), 'utf8');
}

describe('count_tokens', () => {
  function claudeCodeCount(): { body: Buffer; headers: Record<string, string> } {
    const body = readFileSync(join(FIXTURES, 'claude-code', 'e-count-tokens.body.json'));
    const headers = JSON.parse(readFileSync(join(FIXTURES, 'claude-code', 'e-count-tokens.headers.json'), 'utf8')) as Record<string, string>;
    for (const name of ['host', 'content-length', 'connection', 'accept-encoding']) delete headers[name];
    return { body, headers };
  }

  it('e-count-tokens (Claude Code, ?beta=true) is counted exactly by the upstream\'s own count_tokens, as it would be sent', async () => {
    h.upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond({ json: { input_tokens: 25_431 } });
    const { body, headers } = claudeCodeCount();
    const response = await fetch(`${h.gateway.url}/v1/messages/count_tokens?beta=true`, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ input_tokens: 25_431 });
    expect(response.headers.get('x-turnout-token-count')).toBe('exact; upstream-count-tokens');
    const sent = JSON.parse(h.upstream.requests.at(-1)!.body) as Record<string, unknown>;
    expect(sent.model).toBe('big-model');
    expect(sent).not.toHaveProperty('max_tokens');
    // Counted after the provider's hygiene: the per-request billing block is not part of the prompt.
    expect(JSON.stringify(sent.system ?? '')).not.toContain('x-anthropic-billing-header');
    expect(h.upstream.requests.at(-1)!.headers.authorization).toBe('Bearer upstream-secret');
  });

  it('an older llama-server without count_tokens is counted with its own template and tokenizer', async () => {
    h.upstream.expect({ method: 'POST', path: '/apply-template' }).respond({ headers: { 'content-type': 'application/json' }, body: llamaFixture('apply-template.response.json') });
    h.upstream.expect({ method: 'POST', path: '/tokenize' }).respond({ headers: { 'content-type': 'application/json' }, body: llamaFixture('tokenize.response.json') });
    const counted = await h.client.messages.countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hello world' }] });
    // The fixture's /tokenize answer holds four tokens.
    expect(counted.input_tokens).toBe(4);
    const template = JSON.parse(h.upstream.requests.find((r) => r.path === '/apply-template')!.body) as { messages: unknown[] };
    expect(template.messages).toEqual([{ role: 'user', content: 'Hello world' }]);
  });

  it('falls back to the documented estimate when the upstream cannot count, and says so', async () => {
    const { body, headers } = claudeCodeCount();
    const response = await fetch(`${h.gateway.url}/v1/messages/count_tokens?beta=true`, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-turnout-token-count')).toBe('estimate');
    const counted = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(counted)).toEqual(['input_tokens']);
    // The fixture holds a 100,000-character file: about 25,000 tokens.
    expect(counted.input_tokens).toBeGreaterThan(20_000);
    expect(counted.input_tokens).toBeLessThan(40_000);
  });

  it('an unrouted model is a 404', async () => {
    await expect(h.client.messages.countTokens({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 404 });
  });
});

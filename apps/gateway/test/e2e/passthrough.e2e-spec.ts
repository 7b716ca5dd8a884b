import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { FIXTURES } from './gateway-harness';
import { startParityHarness, stopParityHarness, type ParityHarness } from './passthrough-harness';

let h: ParityHarness;
beforeAll(async () => {
  h = await startParityHarness();
});
afterAll(() => stopParityHarness(h));
afterEach(() => {
  for (const upstream of [h.native, h.translated, h.anthropic]) {
    expect(upstream.unexpected).toEqual([]);
    expect(upstream.pending).toBe(0);
  }
});

const llama = (name: string) => readFileSync(join(FIXTURES, 'llama-server', name), 'utf8');

function post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'client-key', ...headers },
    body,
  });
}

function postWithHopHeaders(
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string; headers: { get(name: string): string | undefined } }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${h.gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'client-key', ...headers },
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text, headers: { get: (name) => response.headers[name.toLowerCase()] as string | undefined } }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('passthrough to an Anthropic-native upstream (llama-server /v1/messages)', () => {
  it('sends the client body byte for byte except the model value, with the provider key and no client credentials', async () => {
    h.native.expect({ path: '/v1/messages' }).respond({ headers: { 'content-type': 'application/json' }, body: llama('messages-basic.response.json') });
    // Odd spacing, a float spelt 1.0, an escaped unicode character, key order and an unknown field all survive.
    const body = '{ "max_tokens" : 1.0e1,"model":"native-model" ,"messages":[{"role":"user","content":"caf\\u00e9"}],"x_future_field":{"keep":[1, 2.50]}}';
    // node:http, not fetch: fetch refuses to send a `connection` header, and hop-by-hop handling is the point.
    const response = await postWithHopHeaders('/v1/messages?beta=true', body, {
      authorization: 'Bearer client-token',
      'anthropic-beta': 'interleaved-thinking-2025-05-14',
      'x-claude-code-session-id': 'session-1',
      connection: 'keep-alive, x-hop',
      'x-hop': 'drop me',
    });
    expect(response.status).toBe(200);
    const sent = h.native.requests.at(-1)!;
    expect(sent.body).toBe(body.replace('"native-model"', '"big-model"'));
    expect(sent.url).toBe('/v1/messages');
    expect(sent.headers.authorization).toBe('Bearer native-secret');
    expect(sent.headers['x-api-key']).toBeUndefined();
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
    expect(sent.headers['x-claude-code-session-id']).toBe('session-1');
    expect(sent.headers['x-hop']).toBeUndefined();
    // The reply is the upstream's bytes with the model renamed to the one the client asked for.
    const upstreamReply = JSON.parse(llama('messages-basic.response.json')) as { model: string };
    expect(response.text).toBe(llama('messages-basic.response.json').replace(`"model":${JSON.stringify(upstreamReply.model)}`, '"model":"native-model"'));
    expect(response.headers.get('x-turnout-mode')).toBe('native');
    expect(response.headers.get('x-turnout-provider')).toBe('native-llama');
    expect(response.headers.get('request-id')).toMatch(/^req_/);
  });

  it('relays the real llama-server SSE byte for byte except the model name in message_start', async () => {
    const sse = llama('messages-stream.response.sse');
    // Cut the upstream stream into uneven writes: the client must still get identical bytes.
    const frames = [sse.slice(0, 17), sse.slice(17, 400), sse.slice(400, 401), sse.slice(401)];
    h.native.expect({ path: '/v1/messages' }).respond({ frames, frameDelayMs: 5 });
    const response = await post('/v1/messages', JSON.stringify({ model: 'native-model', max_tokens: 4, stream: true, messages: [{ role: 'user', content: 'Say hello' }] }));
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const upstreamModel = /"model":"([^"]*)"/.exec(sse)![1];
    expect(await response.text()).toBe(sse.replace(`"model":"${upstreamModel}"`, '"model":"native-model"'));
  });

  it('the SDK accumulates the real llama-server streams (a tools request, a thinking request)', async () => {
    h.native.expect({ path: '/v1/messages' }).respond({ frames: [llama('messages-tools-stream.response.sse')] });
    const tools = await h.client.messages
      .stream({ model: 'native-model', max_tokens: 64, messages: [{ role: 'user', content: 'weather?' }], tools: [{ name: 'get_weather', input_schema: { type: 'object' } }] })
      .finalMessage();
    // The recorded tiny model answered in text and hit max_tokens: exactly what the SDK must see.
    expect(tools.content).toEqual([{ type: 'text', text: 'Flight 322 inter synchron' }]);
    expect(tools.stop_reason).toBe('max_tokens');
    expect(tools.usage).toMatchObject({ input_tokens: 1, cache_read_input_tokens: 172, output_tokens: 4 });
    h.native.expect({ path: '/v1/messages' }).respond({ frames: [llama('messages-thinking-stream.response.sse')] });
    const thinking = await h.client.messages.stream({ model: 'native-model', max_tokens: 64, messages: [{ role: 'user', content: 'think' }] }).finalMessage();
    // The recorded model opened no thinking block (fixture README): a text block, cut at max_tokens.
    expect(thinking.content.map((block) => block.type)).toEqual(['text']);
    expect(thinking.stop_reason).toBe('max_tokens');
    expect(thinking.usage).toMatchObject({ cache_read_input_tokens: 13, output_tokens: 4 });
  });

  it('strips the Claude Code billing block for a local upstream and names the rewrite', async () => {
    h.native.expect({ path: '/v1/messages' }).respond({ headers: { 'content-type': 'application/json' }, body: llama('messages-basic.response.json') });
    const body = JSON.stringify({
      model: 'native-model',
      max_tokens: 8,
      system: [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.330.572; cc_entrypoint=cli; cch=1a2b3;' },
        { type: 'text', text: 'You are Claude Code.' },
      ],
      messages: [{ role: 'user', content: 'hi' }],
    });
    const response = await post('/v1/messages', body);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-turnout-rewrites')).toContain('strip-billing-header');
    const sent = JSON.parse(h.native.requests.at(-1)!.body) as { model: string; system: Array<{ text: string }> };
    expect(sent.model).toBe('big-model');
    expect(sent.system.map((block) => block.text)).toEqual(['You are Claude Code.']);
    await response.text();
  });

  it('context overflow from llama-server becomes the 400 wording Claude Code compacts on', async () => {
    h.native.expect({ path: '/v1/messages' }).respond({ status: 400, headers: { 'content-type': 'application/json; charset=utf-8' }, body: llama('messages-error-context-overflow.response.json') });
    const error = await h.client.messages.create({ model: 'native-model', max_tokens: 8, messages: [{ role: 'user', content: 'long' }] }).then(
      () => undefined,
      (e: unknown) => e as InstanceType<typeof Anthropic.APIError>,
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error?.error as { error: { type: string; message: string } }).error).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(/^prompt is too long: 5010 tokens > 4096 maximum/) });
  });

  it('a non-Anthropic error body (HTML from a proxy) still reaches the client Anthropic-shaped', async () => {
    h.native.expect({ path: '/v1/messages' }).respond({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
    const response = await post('/v1/messages', JSON.stringify({ model: 'native-model', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }));
    const body = (await response.json()) as { type: string; error: { type: string; message: string }; request_id: string };
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('api_error');
    expect(body.request_id).toBe(response.headers.get('request-id'));
  });

  it('an upstream that dies mid-stream ends the client stream with event: error', async () => {
    const sse = llama('messages-stream.response.sse');
    h.native.expect({ path: '/v1/messages' }).respond({ frames: [sse.slice(0, sse.indexOf('event: content_block_stop'))], destroyAfterFrames: true });
    const response = await post('/v1/messages', JSON.stringify({ model: 'native-model', max_tokens: 4, stream: true, messages: [{ role: 'user', content: 'x' }] }));
    const text = await response.text();
    expect(text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
    expect(text).not.toContain('message_stop');
  });

  it('a client that goes away mid-stream closes the upstream socket', async () => {
    const sse = llama('messages-stream.response.sse');
    h.native.expect({ path: '/v1/messages' }).respond({ frames: [sse.slice(0, 600)], hangAfterFrames: true });
    const controller = new AbortController();
    const response = await fetch(`${h.gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'client-key' },
      body: JSON.stringify({ model: 'native-model', max_tokens: 4, stream: true, messages: [{ role: 'user', content: 'x' }] }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    const upstreamRequest = h.native.requests.at(-1)!;
    controller.abort();
    await upstreamRequest.closed;
    expect(upstreamRequest.finished()).toBe(false);
  });
});

describe('passthrough to the Anthropic API', () => {
  it('uses x-api-key and anthropic-version, drops denied betas, keeps the billing block, and names the rewrite', async () => {
    h.anthropic.expect({ path: '/v1/messages' }).respond({ headers: { 'content-type': 'application/json', 'request-id': 'req_upstream', 'anthropic-ratelimit-requests-remaining': '99' }, body: llama('messages-basic.response.json') });
    const body = JSON.stringify({
      model: 'claude-sonnet-4-6',
      max_tokens: 8,
      system: [{ type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.330.572; cc_entrypoint=cli; cch=1a2b3;' }],
      messages: [{ role: 'user', content: 'hi' }],
    });
    const response = await post('/v1/messages', body, { 'anthropic-beta': 'claude-code-20250219,context-management-2025-06-27, interleaved-thinking-2025-05-14' });
    expect(response.status).toBe(200);
    const sent = h.anthropic.requests.at(-1)!;
    expect(sent.body).toBe(body);
    expect(sent.headers['x-api-key']).toBe('sk-ant-upstream');
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.headers['anthropic-beta']).toBe('claude-code-20250219,interleaved-thinking-2025-05-14');
    expect(response.headers.get('x-turnout-rewrites')).toMatch(/drop-betas\(context-management-2025-06-27\)/);
    expect(response.headers.get('x-upstream-request-id')).toBe('req_upstream');
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('99');
    await response.text();
  });
});

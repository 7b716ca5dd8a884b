import Anthropic from '@anthropic-ai/sdk';
import { startHarness, stopHarness, fixture, type Harness } from './gateway-harness';
import { chunkFrame } from './openai-chunks';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));
afterEach(() => {
  expect(h.upstream.unexpected).toEqual([]);
  expect(h.upstream.pending).toBe(0);
});

const params = { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user' as const, content: 'Hi' }] };

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Anthropic.APIError);
    return error as InstanceType<typeof Anthropic.APIError>;
  }
  throw new Error('expected the request to fail');
}

describe('errors reach the SDK as the right APIError subclass', () => {
  it('upstream context overflow (llama-server 400) -> BadRequestError with the wording Claude Code compacts on', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({
      status: 400,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: fixture('llama-server/messages-error-context-overflow.response.json'),
    });
    const error = await failure(h.client.messages.create(params));
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.apiMessage).toMatch(/prompt is too long: \d+ tokens > \d+ maximum/);
    expect(error.requestID).toMatch(/^req_/);
  });

  it('the same overflow on a streaming request is still an HTTP 400, not a stream', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({
      status: 400,
      body: fixture('llama-server/messages-error-context-overflow-stream.response.json'),
    });
    const error = await failure(h.client.messages.stream(params).finalMessage());
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.status).toBe(400);
  });

  it('upstream 429 -> RateLimitError with retry-after passed on', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({ status: 429, headers: { 'retry-after': '7' }, json: { error: { message: 'slow down' } } });
    const error = await failure(h.client.messages.create(params));
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.type).toBe('rate_limit_error');
    expect(error.headers?.get('retry-after')).toBe('7');
  });

  it('upstream 503 (model loading, queue full) -> 529 overloaded_error', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({ status: 503, json: { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } } });
    const error = await failure(h.client.messages.create(params));
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error.status).toBe(529);
    expect(error.type).toBe('overloaded_error');
  });

  it('upstream 500 -> InternalServerError api_error', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({ status: 500, body: 'Internal Server Error' });
    const error = await failure(h.client.messages.create(params));
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error.status).toBe(500);
    expect(error.type).toBe('api_error');
  });

  it('connection refused -> 502 api_error', async () => {
    const error = await failure(h.client.messages.create({ ...params, model: 'unreachable-model' }));
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error.status).toBe(502);
    expect(error.type).toBe('api_error');
  });

  it('a model no route matches -> NotFoundError naming the routes', async () => {
    const error = await failure(h.client.messages.create({ ...params, model: 'gpt-4o' }));
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error.type).toBe('not_found_error');
    expect(error.apiMessage).toContain('"claude-*haiku*"');
  });

  it('envelope validation -> BadRequestError naming the field', async () => {
    const error = await failure(h.client.messages.create({ ...params, max_tokens: 'many' as unknown as number }));
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.apiMessage).toBe('max_tokens: must be an integer');
    const roleError = await failure(h.client.messages.create({ ...params, messages: [{ role: 'robot' as 'user', content: 'x' }] }));
    expect(roleError.apiMessage).toMatch(/^messages\.0\.role: /);
  });

  it('a mid-stream upstream error (real llama-server bytes) ends the stream with event: error, not a silent end', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({ frames: [fixture('llama-server/chat-error-midstream.response.sse')] });
    const stream = h.client.messages.stream(params);
    const seen: string[] = [];
    stream.on('streamEvent', (event) => seen.push(event.type));
    const error = await failure(stream.finalMessage());
    expect(error.status).toBeUndefined();
    expect(error.type).toBe('api_error');
    expect(seen[0]).toBe('message_start');
    expect(seen).not.toContain('message_stop');
  });

  it('an upstream that closes the socket mid-stream -> event: error', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({
      frames: [chunkFrame({ role: 'assistant', content: null }), chunkFrame({ content: 'partial' })],
      destroyAfterFrames: true,
    });
    const error = await failure(h.client.messages.stream(params).finalMessage());
    expect(error.type).toBe('api_error');
  });
});

describe('requests refused before routing still count', () => {
  it('a malformed envelope is one turnout_requests_total{outcome="client_error"} and one log line', async () => {
    const metric = async () => {
      const text = await (await fetch(`${h.gateway.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('turnout_requests_total{model="other",provider="_none",mode="_none",stream="false",outcome="client_error",api="messages"}'));
      return line === undefined ? 0 : Number(line.split(' ').at(-1));
    };
    const before = await metric();
    const error = await failure(h.client.messages.create({ model: 'claude-refused', messages: [] } as unknown as typeof params));
    expect(error.status).toBe(400);
    expect(error.apiMessage).toBe('max_tokens: Field required');
    expect(await metric()).toBe(before + 1);
    expect(h.gateway.output()).toMatch(/"model":"claude-refused".*"status":400,"outcome":"client_error","error_code":"GW_INVALID_REQUEST"/);
  });
});

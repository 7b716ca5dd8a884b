import { ScriptedUpstream, type ScriptedReply } from '@turnout/testing';
import { closedPortUrl, llamaFixture, llamaReply, openSignal, targetFor } from '../../test/provider-test-support';
import { PROVIDER_KINDS, type ProviderKind } from '../kinds';
import { UpstreamClient } from '../upstream-client';
import { probeProvider } from './probe-provider';

const json = (body: unknown, status = 200): ScriptedReply => ({ status, json: body });
/** The recorded /props bytes, with only `build_info` changed: what a release build reports. */
const propsWithBuild = (build: string): ScriptedReply => ({
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: llamaFixture('props.response.json').replace('"build_info":"b0-unknown"', `"build_info":"${build}"`),
});

const ollamaShow = (arch: string, length: number) => json({ parameters: 'temperature 0.6', model_info: { 'general.architecture': arch, [`${arch}.context_length`]: length }, capabilities: ['completion', 'tools'] });
const ollamaTags = (...names: string[]) => json({ models: names.map((name) => ({ name, model: name, size: 5_000_000_000, details: { format: 'gguf' } })) });

describe('probeProvider', () => {
  let upstream: ScriptedUpstream;
  const client = new UpstreamClient();
  const probe = (kind: ProviderKind, apiKey?: string, signal = openSignal()) => probeProvider(client, targetFor(upstream.url, kind, apiKey), kind, signal);

  beforeEach(async () => {
    upstream = await ScriptedUpstream.start();
  });
  afterEach(async () => {
    expect(upstream.unexpected).toEqual([]);
    await upstream.close();
  });
  afterAll(async () => {
    await client.close();
  });

  describe('llama-cpp', () => {
    it('reads the recorded server; its source build (b0-unknown) is settled by the count_tokens check', async () => {
      upstream.expect({ method: 'GET', path: '/props' }).respond(llamaReply('props.response.json'));
      upstream.expect({ method: 'GET', path: '/v1/models' }).respond(llamaReply('models.response.json'));
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(llamaReply('count-tokens.response.json'));
      const result = await probe(PROVIDER_KINDS['llama-cpp']);
      expect(result).toEqual({ reachable: true, version: 'b0-unknown', servesMessages: true, contextWindow: 4096, models: ['tiny'], checkedAt: expect.any(String) });
      expect(new Date(result.checkedAt).toISOString()).toBe(result.checkedAt);
      const gets = upstream.requests.filter((request) => request.method === 'GET');
      expect(gets.map((request) => [request.path, request.body, request.headers['content-type']])).toEqual(
        expect.arrayContaining([['/props', '', undefined], ['/v1/models', '', undefined]]),
      );
      const check = upstream.requests.find((request) => request.method === 'POST');
      expect(JSON.parse(check?.body ?? '')).toMatchObject({ model: 'tiny', messages: [{ role: 'user' }] });
    });

    it('a release build past the threshold serves /v1/messages without any POST', async () => {
      upstream.expect({ method: 'GET', path: '/props' }).respond(propsWithBuild('b7300-1a2b3c4'));
      upstream.expect({ method: 'GET', path: '/v1/models' }).respond(llamaReply('models.response.json'));
      const result = await probe(PROVIDER_KINDS['llama-cpp']);
      expect(result).toMatchObject({ reachable: true, version: 'b7300-1a2b3c4', servesMessages: true });
      expect(upstream.requests.map((request) => request.method)).toEqual(['GET', 'GET']);
    });

    it('an older build whose count_tokens is a 404 does not serve /v1/messages', async () => {
      upstream.expect({ method: 'GET', path: '/props' }).respond(propsWithBuild('b6543-1e2a3b4'));
      upstream.expect({ method: 'GET', path: '/v1/models' }).respond(llamaReply('models.response.json'));
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(llamaReply('not-found.response.json', 404));
      expect(await probe(PROVIDER_KINDS['llama-cpp'])).toMatchObject({ reachable: true, version: 'b6543-1e2a3b4', servesMessages: false });
    });

    it('a server with --api-key and no key configured: reachable, unauthorized, verdict unknown', async () => {
      const unauthorized = llamaReply('messages-error-unauthorized.response.json', 401);
      upstream.expect({ method: 'GET', path: '/props' }).respond(unauthorized);
      // llama-server serves /v1/models without a key.
      upstream.expect({ method: 'GET', path: '/v1/models' }).respond(llamaReply('models.response.json'));
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(unauthorized);
      const result = await probe(PROVIDER_KINDS['llama-cpp']);
      expect(result).toMatchObject({ reachable: true, models: ['tiny'] });
      expect(result.servesMessages).toBeUndefined();
      expect(result.version).toBeUndefined();
      expect(result.error).toBe("unauthorized: /props answered 401 (check the provider's API key)");
    });

    it('sends the configured key as Bearer', async () => {
      upstream.expect({ method: 'GET', path: '/props' }).respond(propsWithBuild('b8000-0000000'));
      upstream.expect({ method: 'GET', path: '/v1/models' }).respond(llamaReply('models.response.json'));
      await probe(PROVIDER_KINDS['llama-cpp'], 'test-key');
      expect(upstream.requests.map((request) => request.headers.authorization)).toEqual(['Bearer test-key', 'Bearer test-key']);
    });
  });

  describe('ollama', () => {
    it('0.12.3 predates /v1/messages; the context window comes from /api/show', async () => {
      upstream.expect({ method: 'GET', path: '/api/version' }).respond(json({ version: '0.12.3' }));
      upstream.expect({ method: 'GET', path: '/api/tags' }).respond(ollamaTags('qwen3:8b', 'llama3.2:3b'));
      upstream.expect({ method: 'POST', path: '/api/show' }).respond(ollamaShow('qwen3', 40960));
      upstream.expect({ method: 'POST', path: '/api/show' }).respond(ollamaShow('llama', 131072));
      const result = await probe(PROVIDER_KINDS.ollama);
      expect(result).toEqual({ reachable: true, version: '0.12.3', servesMessages: false, contextWindow: 40960, models: ['qwen3:8b', 'llama3.2:3b'], checkedAt: expect.any(String) });
      const shown = upstream.requests.filter((request) => request.path === '/api/show').map((request) => JSON.parse(request.body) as unknown);
      expect(shown).toEqual(expect.arrayContaining([{ model: 'qwen3:8b' }, { model: 'llama3.2:3b' }]));
    });

    it('0.14.1 serves /v1/messages; /api/show is asked about three models at most', async () => {
      upstream.expect({ method: 'GET', path: '/api/version' }).respond(json({ version: '0.14.1' }));
      upstream.expect({ method: 'GET', path: '/api/tags' }).respond(ollamaTags('a:1b', 'b:1b', 'c:1b', 'd:1b', 'e:1b'));
      for (let i = 0; i < 3; i += 1) upstream.expect({ method: 'POST', path: '/api/show' }).respond(ollamaShow('qwen3', 40960));
      const result = await probe(PROVIDER_KINDS.ollama);
      expect(result).toMatchObject({ reachable: true, version: '0.14.1', servesMessages: true, contextWindow: 40960 });
      expect(result.models).toHaveLength(5);
      expect(upstream.requests.filter((request) => request.path === '/api/show')).toHaveLength(3);
    });

    it('a source build (0.0.0) leaves the verdict open', async () => {
      upstream.expect({ method: 'GET', path: '/api/version' }).respond(json({ version: '0.0.0' }));
      upstream.expect({ method: 'GET', path: '/api/tags' }).respond(json({ models: [] }));
      const result = await probe(PROVIDER_KINDS.ollama);
      expect(result).toMatchObject({ reachable: true, version: '0.0.0' });
      expect(result.servesMessages).toBeUndefined();
    });
  });

  it('vllm: version from /version, context from max_model_len', async () => {
    upstream.expect({ method: 'GET', path: '/version' }).respond(json({ version: '0.11.0' }));
    upstream.expect({ method: 'GET', path: '/v1/models' }).respond(
      json({ object: 'list', data: [{ id: 'Qwen/Qwen3-8B', object: 'model', created: 1767225600, owned_by: 'vllm', root: 'Qwen/Qwen3-8B', parent: null, max_model_len: 32768 }] }),
    );
    expect(await probe(PROVIDER_KINDS.vllm)).toEqual({
      reachable: true,
      version: '0.11.0',
      servesMessages: true,
      contextWindow: 32768,
      models: ['Qwen/Qwen3-8B'],
      checkedAt: expect.any(String),
    });
  });

  it('vllm: 0.10.1 predates /v1/messages', async () => {
    upstream.expect({ method: 'GET', path: '/version' }).respond(json({ version: '0.10.1' }));
    upstream.expect({ method: 'GET', path: '/v1/models' }).respond(json({ object: 'list', data: [] }));
    expect(await probe(PROVIDER_KINDS.vllm)).toMatchObject({ reachable: true, version: '0.10.1', servesMessages: false });
  });

  describe('lm-studio', () => {
    const v0 = json({ object: 'list', data: [{ id: 'qwen/qwen3-8b', object: 'model', type: 'llm', state: 'loaded', loaded_context_length: 16384, max_context_length: 40960 }] });

    it('without the v1 REST API it predates /v1/messages', async () => {
      upstream.expect({ method: 'GET', path: '/api/v0/models' }).respond(v0);
      upstream.expect({ method: 'GET', path: '/api/v1/models' }).respond({ status: 404, body: 'Unexpected endpoint or method. (GET /api/v1/models)' });
      expect(await probe(PROVIDER_KINDS['lm-studio'])).toEqual({
        reachable: true,
        version: 'older than 0.4.0',
        servesMessages: false,
        contextWindow: 16384,
        models: ['qwen/qwen3-8b'],
        checkedAt: expect.any(String),
      });
    });

    it('an older server that answers the unknown v1 route with its 200 "Unexpected endpoint" predates it too', async () => {
      upstream.expect({ method: 'GET', path: '/api/v0/models' }).respond(v0);
      upstream.expect({ method: 'GET', path: '/api/v1/models' }).respond(json({ error: 'Unexpected endpoint or method. (GET /api/v1/models)' }));
      expect(await probe(PROVIDER_KINDS['lm-studio'])).toMatchObject({ reachable: true, version: 'older than 0.4.0', servesMessages: false });
    });

    it('with the v1 REST API it serves /v1/messages', async () => {
      upstream.expect({ method: 'GET', path: '/api/v0/models' }).respond(v0);
      upstream.expect({ method: 'GET', path: '/api/v1/models' }).respond(
        json({ models: [{ type: 'llm', key: 'qwen/qwen3-8b', loaded_instances: [{ id: 'qwen/qwen3-8b', config: { context_length: 16384 } }] }] }),
      );
      expect(await probe(PROVIDER_KINDS['lm-studio'])).toMatchObject({ reachable: true, version: '0.4.0 or newer', servesMessages: true, models: ['qwen/qwen3-8b'] });
    });
  });

  describe('anthropic', () => {
    it('lists models with x-api-key and anthropic-version (the free endpoint, never /v1/messages)', async () => {
      upstream.expect({ method: 'GET', path: '/v1/models' }).respond(
        json({ data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-5', last_id: 'claude-sonnet-4-5' }),
      );
      const result = await probe(PROVIDER_KINDS.anthropic, 'sk-ant-test');
      expect(result).toEqual({ reachable: true, servesMessages: true, models: ['claude-sonnet-4-5'], checkedAt: expect.any(String) });
      const [seen] = upstream.requests;
      expect(seen?.headers['x-api-key']).toBe('sk-ant-test');
      expect(seen?.headers['anthropic-version']).toBe('2023-06-01');
      expect(seen?.headers.authorization).toBeUndefined();
    });

    it('without a key: reachable, and the error says unauthorized', async () => {
      upstream.expect({ method: 'GET', path: '/v1/models' }).respond(json({ type: 'error', error: { type: 'authentication_error', message: 'x-api-key header is required' } }, 401));
      expect(await probe(PROVIDER_KINDS.anthropic)).toMatchObject({ reachable: true, servesMessages: true, error: "unauthorized: /v1/models answered 401 (check the provider's API key)" });
    });
  });

  it('openai: models from /v1/models, and never /v1/messages', async () => {
    upstream.expect({ method: 'GET', path: '/v1/models' }).respond(json({ object: 'list', data: [{ id: 'gpt-5', object: 'model', owned_by: 'openai' }] }));
    expect(await probe(PROVIDER_KINDS.openai)).toEqual({ reachable: true, servesMessages: false, models: ['gpt-5'], checkedAt: expect.any(String) });
  });

  it('reports an endpoint that answers 500 or something not JSON, and keeps what the others said', async () => {
    upstream.expect({ method: 'GET', path: '/version' }).respond({ status: 500, body: 'Internal Server Error' });
    upstream.expect({ method: 'GET', path: '/v1/models' }).respond({ status: 200, body: '<html>proxy</html>' });
    const result = await probe(PROVIDER_KINDS.vllm);
    expect(result.reachable).toBe(true);
    expect(result.servesMessages).toBeUndefined();
    expect(result.error?.split('; ').sort()).toEqual(['/v1/models answered 200 with a body that is not JSON', '/version answered 500']);
  });

  it('an unreachable port is a result, not a throw', async () => {
    const nobody = await closedPortUrl();
    for (const kind of Object.values(PROVIDER_KINDS)) {
      const result = await probeProvider(client, targetFor(nobody, kind), kind, openSignal());
      expect(result).toEqual({ reachable: false, error: expect.stringContaining('connection refused'), checkedAt: expect.any(String) });
    }
  });

  it('gives up when the signal aborts, and says it was the deadline', async () => {
    upstream.expect({ method: 'GET', path: '/version' }).respond({ neverRespond: true });
    upstream.expect({ method: 'GET', path: '/v1/models' }).respond({ neverRespond: true });
    const controller = new AbortController();
    const pending = probe(PROVIDER_KINDS.vllm, undefined, controller.signal);
    await upstream.nextRequest(1);
    controller.abort(new DOMException('probe budget spent', 'TimeoutError'));
    expect(await pending).toEqual({ reachable: false, error: 'no answer before the deadline', checkedAt: expect.any(String) });
  });

  it('an already-aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await probe(PROVIDER_KINDS.ollama, undefined, controller.signal)).toMatchObject({ reachable: false, error: 'cancelled' });
    expect(upstream.requests).toEqual([]);
  });
});

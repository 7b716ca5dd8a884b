import type { AnthropicRequest } from '@turnout/protocol';
import { ScriptedUpstream, type ScriptedReply } from '@turnout/testing';
import { closedPortUrl, llamaFixture, llamaReply, openSignal, targetFor } from '../../test/provider-test-support';
import { PROVIDER_KINDS, type ProviderKind } from '../kinds';
import { UpstreamClient } from '../upstream-client';
import { countTokensExact } from './count-tokens-exact';

const json = (body: unknown, status = 200): ScriptedReply => ({ status, json: body });
const notFound = llamaReply('not-found.response.json', 404);

/** The Anthropic twin of the recorded apply-template request: system + one tool + one user turn. */
const WEATHER_REQUEST: AnthropicRequest = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  stream: true,
  temperature: 0.2,
  system: 'You are terse.',
  tools: [
    {
      name: 'get_weather',
      description: 'Get the current weather in a location',
      input_schema: { type: 'object', properties: { location: { type: 'string', description: 'City name' } }, required: ['location'] },
    },
  ],
  messages: [{ role: 'user', content: 'Weather in Paris?' }],
};

describe('countTokensExact', () => {
  let upstream: ScriptedUpstream;
  const client = new UpstreamClient();
  const count = (kind: ProviderKind, request: AnthropicRequest, signal = openSignal(), apiKey?: string) =>
    countTokensExact(client, targetFor(upstream.url, kind, apiKey), kind, request, 'tiny', signal);
  const bodyOf = (index: number): unknown => JSON.parse(upstream.requests[index]?.body ?? 'null');

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
    it("forwards to the server's own count_tokens: upstream model, no generation fields, anthropic-version", async () => {
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(llamaReply('count-tokens-tools.response.json'));
      const request = JSON.parse(llamaFixture('count-tokens-tools.request.json')) as AnthropicRequest;
      const result = await count(PROVIDER_KINDS['llama-cpp'], { ...request, model: 'claude-sonnet-4-5', max_tokens: 512, stream: true, top_k: 40, stop_sequences: ['x'] });
      expect(result).toEqual({ inputTokens: 173, method: 'upstream-count-tokens' });
      expect(bodyOf(0)).toEqual(request); // the recorded body exactly: model "tiny", nothing else added
      expect(upstream.requests[0]?.headers['anthropic-version']).toBe('2023-06-01');
    });

    it('falls back from a 404 to /apply-template + /tokenize, sending what translation would send', async () => {
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(notFound);
      upstream.expect({ method: 'POST', path: '/apply-template' }).respond(llamaReply('apply-template.response.json'));
      upstream.expect({ method: 'POST', path: '/tokenize' }).respond(llamaReply('tokenize.response.json'));
      expect(await count(PROVIDER_KINDS['llama-cpp'], WEATHER_REQUEST)).toEqual({ inputTokens: 4, method: 'llama-apply-template+tokenize' });
      // Byte-for-byte the body recorded against llama-server (key order aside).
      expect(bodyOf(1)).toEqual(JSON.parse(llamaFixture('apply-template.request.json')));
      const prompt = (JSON.parse(llamaFixture('apply-template.response.json')) as { prompt: string }).prompt;
      expect(bodyOf(2)).toEqual({ content: prompt, add_special: true, parse_special: true });
    });

    it('passes enable_thinking to the template, since it changes what is rendered', async () => {
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(notFound);
      upstream.expect({ method: 'POST', path: '/apply-template' }).respond(llamaReply('apply-template-thinking-off.response.json'));
      upstream.expect({ method: 'POST', path: '/tokenize' }).respond(json({ tokens: [50257, 872, 198, 25, 50258, 198] }));
      const request: AnthropicRequest = { model: 'm', max_tokens: 64, thinking: { type: 'disabled' }, messages: [{ role: 'user', content: 'Say hello' }] };
      expect(await count(PROVIDER_KINDS['llama-cpp'], request)).toEqual({ inputTokens: 6, method: 'llama-apply-template+tokenize' });
      expect(bodyOf(1)).toEqual(JSON.parse(llamaFixture('apply-template-thinking-off.request.json')));
    });

    it('does not trust a 200 without a numeric input_tokens', async () => {
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(json({ message: 'Unexpected endpoint or method. Returning 200 anyway' }));
      upstream.expect({ method: 'POST', path: '/apply-template' }).respond(llamaReply('apply-template.response.json'));
      upstream.expect({ method: 'POST', path: '/tokenize' }).respond(llamaReply('tokenize.response.json'));
      expect(await count(PROVIDER_KINDS['llama-cpp'], WEATHER_REQUEST)).toMatchObject({ method: 'llama-apply-template+tokenize' });
    });

    it.each<[string, ScriptedReply, ScriptedReply]>([
      ['404 then 404', notFound, notFound],
      ['500 then a body that is not JSON', llamaReply('messages-error-missing-messages.response.json', 500), { status: 200, body: 'not json' }],
      ['401 then 401', llamaReply('messages-error-unauthorized.response.json', 401), llamaReply('messages-error-unauthorized.response.json', 401)],
    ])('every strategy failing (%s) gives undefined, so the caller estimates', async (_label, first, second) => {
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(first);
      upstream.expect({ method: 'POST', path: '/apply-template' }).respond(second);
      expect(await count(PROVIDER_KINDS['llama-cpp'], WEATHER_REQUEST)).toBeUndefined();
      expect(upstream.requests.map((request) => request.path)).toEqual(['/v1/messages/count_tokens', '/apply-template']);
    });

    it('a /tokenize failure after a good template is a failure too', async () => {
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(notFound);
      upstream.expect({ method: 'POST', path: '/apply-template' }).respond(llamaReply('apply-template.response.json'));
      upstream.expect({ method: 'POST', path: '/tokenize' }).respond(json({ tokens: 'nope' }));
      expect(await count(PROVIDER_KINDS['llama-cpp'], WEATHER_REQUEST)).toBeUndefined();
    });

    it('skips the tokenizer for a request translation cannot express (a Files API image)', async () => {
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(notFound);
      const request: AnthropicRequest = {
        model: 'm',
        max_tokens: 1,
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_123' } }] }],
      } as AnthropicRequest;
      expect(await count(PROVIDER_KINDS['llama-cpp'], request)).toBeUndefined();
      expect(upstream.requests).toHaveLength(1);
    });
  });

  describe('vllm', () => {
    it('uses count_tokens where the build has it', async () => {
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(json({ input_tokens: 57, context_management: { original_input_tokens: 57 } }));
      expect(await count(PROVIDER_KINDS.vllm, WEATHER_REQUEST)).toEqual({ inputTokens: 57, method: 'upstream-count-tokens' });
    });

    it('falls back to /tokenize with messages, tools and the generation prompt', async () => {
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(json({ detail: 'Not Found' }, 404));
      upstream.expect({ method: 'POST', path: '/tokenize' }).respond(json({ count: 181, max_model_len: 32768, tokens: [151644, 8948], token_strs: null }));
      expect(await count(PROVIDER_KINDS.vllm, WEATHER_REQUEST)).toEqual({ inputTokens: 181, method: 'vllm-tokenize' });
      const recorded = JSON.parse(llamaFixture('apply-template.request.json')) as Record<string, unknown>;
      expect(bodyOf(1)).toEqual({ model: 'tiny', messages: recorded.messages, tools: recorded.tools, add_generation_prompt: true });
    });

    it('gives undefined when /tokenize answers without a count', async () => {
      upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(json({ detail: 'Not Found' }, 404));
      upstream.expect({ method: 'POST', path: '/tokenize' }).respond(json({ tokens: [1, 2, 3] }));
      expect(await count(PROVIDER_KINDS.vllm, WEATHER_REQUEST)).toBeUndefined();
    });
  });

  it('anthropic: forwards with x-api-key and anthropic-version', async () => {
    upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond(json({ input_tokens: 2095 }));
    expect(await count(PROVIDER_KINDS.anthropic, WEATHER_REQUEST, openSignal(), 'sk-ant-test')).toEqual({ inputTokens: 2095, method: 'upstream-count-tokens' });
    const [seen] = upstream.requests;
    expect(seen?.headers['x-api-key']).toBe('sk-ant-test');
    expect(seen?.headers['anthropic-version']).toBe('2023-06-01');
    const sent = bodyOf(0) as Record<string, unknown>;
    expect(sent.model).toBe('tiny');
    expect(Object.keys(sent).sort()).toEqual(['messages', 'model', 'system', 'tools']);
  });

  it.each(['ollama', 'lm-studio', 'openai'] as const)('%s: nothing to ask, so undefined without a request', async (id) => {
    expect(await count(PROVIDER_KINDS[id], WEATHER_REQUEST)).toBeUndefined();
    expect(upstream.requests).toEqual([]);
  });

  it('an aborted signal gives undefined without a request', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await count(PROVIDER_KINDS['llama-cpp'], WEATHER_REQUEST, controller.signal)).toBeUndefined();
    expect(upstream.requests).toEqual([]);
  });

  it('an abort while waiting stops at once: no later strategy is tried', async () => {
    upstream.expect({ method: 'POST', path: '/v1/messages/count_tokens' }).respond({ neverRespond: true });
    const controller = new AbortController();
    const pending = count(PROVIDER_KINDS['llama-cpp'], WEATHER_REQUEST, controller.signal);
    await upstream.nextRequest(0);
    controller.abort();
    expect(await pending).toBeUndefined();
    expect(upstream.requests).toHaveLength(1);
  });

  it('an unreachable upstream gives undefined', async () => {
    const kind = PROVIDER_KINDS.vllm;
    expect(await countTokensExact(client, targetFor(await closedPortUrl(), kind), kind, WEATHER_REQUEST, 'tiny', openSignal())).toBeUndefined();
  });
});

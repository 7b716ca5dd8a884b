import { llamaFixture } from '../../test/provider-test-support';
import { PROVIDER_KIND_IDS, PROVIDER_KINDS, type ProbeReading, type ProviderKind } from './index';

const kind = (id: keyof typeof PROVIDER_KINDS): ProviderKind => PROVIDER_KINDS[id];
/** Every reading of a kind's probe endpoints for one JSON body per path. */
const read = (subject: ProviderKind, path: string, json: unknown): ProbeReading => {
  const endpoint = subject.probe.endpoints.find((candidate) => candidate.path === path);
  if (!endpoint) throw new Error(`${subject.id} has no probe endpoint ${path}`);
  return endpoint.read(json);
};

describe('provider kinds as data', () => {
  it('has one frozen descriptor per kind id, down to its nested tables', () => {
    expect(Object.keys(PROVIDER_KINDS).sort()).toEqual([...PROVIDER_KIND_IDS].sort());
    for (const id of PROVIDER_KIND_IDS) {
      const subject = kind(id);
      expect(subject.id).toBe(id);
      for (const part of [subject, subject.protocols, subject.paths, subject.dialect, subject.countTokens, subject.quirks, subject.probe, subject.probe.endpoints]) {
        expect(Object.isFrozen(part)).toBe(true);
      }
    }
  });

  it('marks the kinds that run on our own hardware as local', () => {
    expect(PROVIDER_KIND_IDS.filter((id) => kind(id).local).sort()).toEqual(['llama-cpp', 'lm-studio', 'ollama', 'vllm']);
  });

  it('counts exactly only where the upstream has a real tokenizer (never LM Studio, which fakes a 200)', () => {
    expect(Object.fromEntries(PROVIDER_KIND_IDS.map((id) => [id, kind(id).countTokens]))).toEqual({
      'llama-cpp': ['anthropic-count-tokens', 'llama-tokenize'],
      vllm: ['anthropic-count-tokens', 'vllm-tokenize'],
      anthropic: ['anthropic-count-tokens'],
      ollama: [],
      'lm-studio': [],
      openai: [],
    });
    expect(kind('lm-studio').quirks).toContain('count-tokens-fakes-200');
  });

  it('passes through by default only where Anthropic is all the kind speaks', () => {
    for (const id of PROVIDER_KIND_IDS) {
      const onlyAnthropic = kind(id).protocols.every((protocol) => protocol === 'anthropic-messages');
      expect([id, kind(id).autoMode]).toEqual([id, onlyAnthropic ? 'native' : 'translate']);
    }
  });

  // Only catalogued quirks can be listed: \`quirks\` is typed as the ProviderQuirk union.
  it('Bearer-only servers are marked', () => {
    expect(kind('vllm').quirks).toContain('x-api-key-rejected');
    expect(kind('vllm').auth).toBe('bearer');
    expect(kind('anthropic').auth).toBe('x-api-key');
    expect(kind('anthropic').requiresAnthropicVersion).toBe(true);
    expect(kind('anthropic').probe.headers).toEqual({ 'anthropic-version': '2023-06-01' });
  });

  it('keeps the reasoning field each server reads (docs/protocol.md §9)', () => {
    expect(kind('llama-cpp').dialect.reasoningInputField).toBe('reasoning_content');
    expect(kind('vllm').dialect.reasoningInputField).toBe('reasoning');
    expect(kind('ollama').dialect.reasoningInputField).toBe('reasoning');
    expect(kind('lm-studio').dialect.reasoningInputField).toBe('reasoning');
    expect(kind('openai').dialect.reasoningInputField).toBe('none');
  });
});

describe('probe readers', () => {
  it('llama-cpp: build, per-slot context and model ids from the recorded /props and /v1/models', () => {
    const llama = kind('llama-cpp');
    expect(read(llama, '/props', JSON.parse(llamaFixture('props.response.json')))).toEqual({ version: 'b0-unknown', contextWindow: 4096 });
    expect(read(llama, '/v1/models', JSON.parse(llamaFixture('models.response.json')))).toEqual({ models: ['tiny'], contextWindow: 4096 });
  });

  it('ollama: version, installed models, and the context from /api/show (num_ctx first)', () => {
    const ollama = kind('ollama');
    expect(read(ollama, '/api/version', { version: '0.12.3' })).toEqual({ version: '0.12.3' });
    expect(read(ollama, '/api/tags', { models: [{ name: 'qwen3:8b', model: 'qwen3:8b' }, { model: 'gpt-oss:20b' }, { size: 1 }] })).toEqual({
      models: ['qwen3:8b', 'gpt-oss:20b'],
    });
    const show = ollama.probe.modelDetails;
    expect(show?.body('qwen3:8b')).toEqual({ model: 'qwen3:8b' });
    const modelInfo = { 'general.architecture': 'qwen3', 'qwen3.context_length': 40960 };
    expect(show?.read({ model_info: modelInfo, parameters: 'temperature 0.6\ntop_k 20' })).toEqual({ contextWindow: 40960 });
    expect(show?.read({ model_info: modelInfo, parameters: 'stop "<|im_end|>"\nnum_ctx 8192' })).toEqual({ contextWindow: 8192 });
    expect(show?.read({ details: {} })).toEqual({});
  });

  it('vllm: version and the smallest max_model_len', () => {
    const vllm = kind('vllm');
    expect(read(vllm, '/version', { version: '0.11.0' })).toEqual({ version: '0.11.0' });
    const models = { object: 'list', data: [{ id: 'Qwen/Qwen3-8B', object: 'model', max_model_len: 32768 }, { id: 'lora-a', max_model_len: 16384 }] };
    expect(read(vllm, '/v1/models', models)).toEqual({ models: ['Qwen/Qwen3-8B', 'lora-a'], contextWindow: 16384 });
  });

  it('lm-studio: the v1 REST API (0.4.0+) means /v1/messages; its absence means an older server', () => {
    const lmStudio = kind('lm-studio');
    const v1 = { models: [{ type: 'llm', key: 'qwen/qwen3-8b', loaded_instances: [{ id: 'qwen/qwen3-8b', config: { context_length: 16384 } }] }, { type: 'embedding', key: 'nomic' }] };
    expect(read(lmStudio, '/api/v1/models', v1)).toEqual({ models: ['qwen/qwen3-8b'], contextWindow: 16384, version: '0.4.0 or newer', servesMessages: true });
    const older = { version: 'older than 0.4.0', servesMessages: false };
    expect(lmStudio.probe.endpoints.find((e) => e.path === '/api/v1/models')?.whenNotFound).toEqual(older);
    // Older LM Studio answers unknown routes with a 200 and this body.
    expect(read(lmStudio, '/api/v1/models', { error: 'Unexpected endpoint or method. (GET /api/v1/models)' })).toEqual(older);
    expect(read(lmStudio, '/api/v1/models', { error: 'something else' })).toEqual({});
    const v0 = { object: 'list', data: [{ id: 'qwen2-vl-7b-instruct', type: 'vlm', state: 'loaded', loaded_context_length: 8192, max_context_length: 32768 }, { id: 'text-embedding-nomic', type: 'embeddings', max_context_length: 2048 }] };
    expect(read(lmStudio, '/api/v0/models', v0)).toEqual({ models: ['qwen2-vl-7b-instruct'], contextWindow: 8192 });
  });

  it('anthropic and openai: model ids from the list', () => {
    const anthropicList = { data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5' }], has_more: false };
    expect(read(kind('anthropic'), '/v1/models', anthropicList)).toEqual({ models: ['claude-sonnet-4-5'] });
    expect(read(kind('openai'), '/v1/models', { object: 'list', data: [{ id: 'gpt-5' }] })).toEqual({ models: ['gpt-5'] });
  });

  it('read nothing from bodies of the wrong shape instead of throwing', () => {
    for (const id of PROVIDER_KIND_IDS) {
      for (const endpoint of kind(id).probe.endpoints) {
        for (const junk of [null, 'text', 42, [], { data: 'x', models: {} }]) {
          const reading = endpoint.read(junk);
          expect(reading.version).toBeUndefined();
          expect(reading.contextWindow).toBeUndefined();
          expect(reading.models ?? []).toEqual([]);
        }
      }
    }
  });
});

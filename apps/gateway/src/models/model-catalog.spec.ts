import { resolve } from 'node:path';
import { RoutingSnapshot } from '@turnout/routing';
import { loadConfigFile, validateConfig } from '@turnout/config';
import { describeModel, listModels, pageModels, type ProbeFacts } from './model-catalog';

const snapshot = new RoutingSnapshot(
  validateConfig({
    providers: [
      { id: 'big', kind: 'llama-cpp', base_url: 'http://127.0.0.1:8080', messages: 'translate' },
      { id: 'small', kind: 'vllm', base_url: 'http://127.0.0.1:8000', messages: 'translate' },
    ],
    routes: [
      { match: 'claude-sonnet-4-6', provider: 'big', model: 'qwen3-coder' },
      { match: 'claude-*haiku*', provider: 'small', model: 'qwen3-4b' },
      { match: 'qwen3-4b', provider: 'small' },
      { match: '*', provider: 'big' },
    ],
  }),
);

const facts: ProbeFacts = (id) =>
  ({ big: { models: ['qwen3-coder', 'qwen3-4b'], contextWindow: 131_072 }, small: { models: ['qwen3-4b'], contextWindow: 32_768 } })[id];

describe('model catalogue', () => {
  it('lists exact route names, then upstream names that route back to their own upstream, once each', () => {
    const ids = listModels(snapshot, facts).map((m) => m.id);
    // qwen3-4b on "big" routes to "small" (its exact route wins), so it is listed once, for small.
    expect(ids).toEqual(['claude-sonnet-4-6', 'qwen3-4b', 'qwen3-coder']);
  });

  it('lists a glob route by its configured name, and its aliases, with the window of the target each reaches', () => {
    const recipe = new RoutingSnapshot(
      validateConfig({
        providers: [
          { id: 'big', kind: 'llama-cpp', base_url: 'http://127.0.0.1:8080', context_window: 65_536 },
          { id: 'small', kind: 'ollama', base_url: 'http://127.0.0.1:11434' },
        ],
        routes: [
          { name: 'claude-haiku-local', match: 'claude-*haiku*', provider: 'small', model: 'qwen3:4b' },
          { name: 'claude-big-local', models: ['claude-opus-4-7', 'claude-sonnet-*', 'big'], provider: 'big', model: 'qwen3-coder' },
          { match: 'claude-*', provider: 'big', model: 'qwen3-coder' },
        ],
      }),
    );
    const windows: ProbeFacts = (id) => ({ big: { models: ['qwen3-coder'], contextWindow: 4_096 }, small: { models: ['qwen3:4b'], contextWindow: 32_768 } })[id];
    const models = listModels(recipe, windows);
    expect(models.map((m) => [m.id, m.max_input_tokens])).toEqual([
      ['claude-haiku-local', 32_768],
      ['claude-big-local', 4_096], // facts say 4096; the registry puts the configured 65536 first (contextWindowOf)
      ['claude-opus-4-7', 4_096],
      ['big', 4_096],
    ]);
    // A listed name routes: the route name is one more exact name of its route.
    expect(recipe.resolve('claude-haiku-local')).toMatchObject({ upstreamModel: 'qwen3:4b', provider: { id: 'small' } });
    expect(recipe.resolve('claude-big-local').route.name).toBe('claude-big-local');
  });

  it("lists the shipped Claude Code config's routes by name, each with the llama-server's window", () => {
    const shipped = new RoutingSnapshot(loadConfigFile(resolve(__dirname, '../../../../config/turnout.yaml')));
    const models = listModels(shipped, () => ({ models: ['qwen3-coder'], contextWindow: 32_768 }));
    expect(models.map((m) => [m.id, m.max_input_tokens])).toEqual([
      ['claude-opus', 32_768],
      ['claude-sonnet', 32_768],
      ['claude-haiku', 32_768],
      ['claude-other', 32_768],
      ['any', 32_768],
      ['qwen3-coder', 32_768],
    ]);
  });

  it('describes a model in the Anthropic ModelInfo and the OpenAI Model shapes at once, with the upstream context window', () => {
    expect(describeModel(snapshot, facts, 'claude-sonnet-4-6')).toEqual({
      type: 'model',
      id: 'claude-sonnet-4-6',
      display_name: 'claude-sonnet-4-6 (via big/qwen3-coder)',
      created_at: '1970-01-01T00:00:00Z',
      max_input_tokens: 131_072,
      max_tokens: null,
      capabilities: null,
      object: 'model',
      created: 0,
      owned_by: 'big',
    });
    expect(describeModel(snapshot, facts, 'claude-haiku-4-5')?.max_input_tokens).toBe(32_768);
    expect(describeModel(snapshot, () => undefined, 'anything')?.max_input_tokens).toBeNull();
  });

  it('answers undefined for a name no route matches', () => {
    const strict = new RoutingSnapshot(
      validateConfig({ providers: [{ id: 'p', kind: 'llama-cpp', base_url: 'http://h:1' }], routes: [{ match: 'only', provider: 'p' }] }),
    );
    expect(describeModel(strict, facts, 'other')).toBeUndefined();
    expect(listModels(strict, facts).map((m) => m.id)).toEqual(['only']);
  });

  it('pages with limit, after_id and before_id the way Anthropic does', () => {
    const models = ['a', 'b', 'c', 'd', 'e'].map((id) => describeModel(snapshot, facts, id)!);
    expect(pageModels(models, {})).toMatchObject({ has_more: false, first_id: 'a', last_id: 'e' });
    expect(pageModels(models, { limit: '2' })).toMatchObject({ has_more: true, first_id: 'a', last_id: 'b' });
    expect(pageModels(models, { limit: '2', after_id: 'b' })).toMatchObject({ has_more: true, first_id: 'c', last_id: 'd' });
    expect(pageModels(models, { limit: '2', after_id: 'd' })).toMatchObject({ has_more: false, first_id: 'e', last_id: 'e' });
    expect(pageModels(models, { limit: '2', before_id: 'e' })).toMatchObject({ has_more: true, first_id: 'c', last_id: 'd' });
    expect(pageModels(models, { limit: '5', before_id: 'c' })).toMatchObject({ has_more: false, first_id: 'a', last_id: 'b' });
    expect(pageModels([], {})).toEqual({ object: 'list', data: [], has_more: false, first_id: null, last_id: null });
  });

  it('rejects a bad limit or an unknown cursor with a message naming the field', () => {
    expect(() => pageModels([], { limit: '0' })).toThrow(/^limit: /);
    expect(() => pageModels([], { limit: 'ten' })).toThrow(/^limit: /);
    expect(() => pageModels([], { after_id: 'zz' })).toThrow(/^after_id: unknown model id "zz"/);
  });
});

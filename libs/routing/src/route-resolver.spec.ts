import { GatewayError } from '@turnout/errors';
import { validateConfig } from '@turnout/config';
import { RoutingSnapshot } from './route-resolver';

const snapshot = new RoutingSnapshot(
  validateConfig({
    providers: [
      { id: 'big', kind: 'vllm', base_url: 'http://127.0.0.1:8000', messages: 'translate' },
      { id: 'small', kind: 'llama-cpp', base_url: 'http://127.0.0.1:8080' },
      { id: 'claude', kind: 'anthropic', base_url: 'https://api.anthropic.com', api_key_env: 'ANTHROPIC_KEY' },
    ],
    routes: [
      { match: 'claude-*haiku*', provider: 'small', model: 'qwen3-4b' },
      { match: 'claude-opus-5-5', provider: 'claude' },
      { match: 'claude-*', provider: 'big', model: 'qwen3-coder' },
    ],
  }),
);

describe('RoutingSnapshot.resolve', () => {
  it('takes the first matching route and rewrites the model', () => {
    const decision = snapshot.resolve('claude-haiku-5-5');
    expect(decision).toMatchObject({ routeIndex: 0, mode: 'translate', protocol: 'openai-chat', upstreamModel: 'qwen3-4b' });
    expect(decision.provider.id).toBe('small');
    expect(decision.kind.id).toBe('llama-cpp');
  });

  it('keeps the requested model when the route names none', () => {
    expect(snapshot.resolve('claude-opus-5-5')).toMatchObject({ routeIndex: 1, upstreamModel: 'claude-opus-5-5' });
  });

  it('resolves auto to passthrough for a kind that speaks only Anthropic', () => {
    expect(snapshot.resolve('claude-opus-5-5')).toMatchObject({ mode: 'native', protocol: 'anthropic-messages' });
  });

  it('resolves auto to translation for a local kind (Ollama: its native /api/chat)', () => {
    const local = new RoutingSnapshot(
      validateConfig({ providers: [{ id: 'l', kind: 'ollama', base_url: 'http://h:11434' }], routes: [{ match: '*', provider: 'l' }] }),
    );
    expect(local.resolve('qwen3')).toMatchObject({ mode: 'translate', protocol: 'ollama-chat' });
  });

  it('answers an unmatched model with a 404 not_found_error naming the routes', () => {
    let caught: unknown;
    try {
      snapshot.resolve('gpt-4o');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    const error = caught as GatewayError;
    expect(error).toMatchObject({ code: 'GW_ROUTE_NOT_FOUND', status: 404, anthropicType: 'not_found_error' });
    expect(error.message).toBe('model: no route matches "gpt-4o"; configured routes: "claude-*haiku*", "claude-opus-5-5", "claude-*"');
  });

  it('lists the route\'s provider, then its fallbacks, each with its own mode and model', () => {
    const snapshot = new RoutingSnapshot(
      validateConfig({
        providers: [
          { id: 'main', kind: 'llama-cpp', base_url: 'http://a:8080', messages: 'native' },
          { id: 'spare', kind: 'ollama', base_url: 'http://b:11434', messages: 'translate' },
          { id: 'cloud', kind: 'vllm', base_url: 'http://c:8000', messages: 'translate' },
        ],
        routes: [{ match: 'claude-*', provider: 'main', model: 'big', fallbacks: ['spare', 'cloud/Qwen/Qwen3-32B'] }],
      }),
    );
    const targets = snapshot.candidates(snapshot.resolve('claude-sonnet-4-6'));
    expect(targets.map((t) => [t.provider.id, t.mode, t.protocol, t.upstreamModel])).toEqual([
      ['main', 'native', 'anthropic-messages', 'big'],
      ['spare', 'translate', 'ollama-chat', 'big'],
      ['cloud', 'translate', 'openai-chat', 'Qwen/Qwen3-32B'],
    ]);
  });
});

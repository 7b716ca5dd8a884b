import { ConfigError, validateConfig } from './validate-config';

const provider = { id: 'local-llama', kind: 'llama-cpp', base_url: 'http://127.0.0.1:8080', messages: 'translate' };
const valid = { providers: [provider], routes: [{ match: '*', provider: 'local-llama' }] };

function errorOf(document: unknown): string {
  try {
    validateConfig(document);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('answers safeguards itself for every kind but anthropic, unless the config says passthrough', () => {
    const providers = [
      { id: 'a', kind: 'anthropic', base_url: 'https://api.anthropic.com' },
      { id: 'l', kind: 'llama-cpp', base_url: 'http://h:1' },
      { id: 'o', kind: 'ollama', base_url: 'http://h:2', safeguards: 'passthrough' },
    ];
    const config = validateConfig({ providers, routes: [{ match: '*', provider: 'l' }] });
    expect(config.providers.map((p) => p.safeguards)).toEqual(['passthrough', 'synthesize', 'passthrough']);
    expect(() => validateConfig({ providers: [{ ...providers[1], safeguards: 'maybe' }], routes: [] })).toThrow(/safeguards: must be one of: passthrough, synthesize/);
  });

  it('accepts the documented shape and fills defaults', () => {
    const config = validateConfig(valid);
    expect(config.providers[0]).toEqual({
      id: 'local-llama',
      kind: 'llama-cpp',
      baseUrl: 'http://127.0.0.1:8080',
      messages: 'translate',
      apiKeyEnv: undefined,
      timeouts: { connectMs: 10_000, firstByteMs: 600_000, idleMs: 300_000 },
      translateTo: undefined,
      betas: {},
      hygiene: {},
      limits: { maxInFlight: undefined, maxQueue: 100, maxWaitMs: 60_000 },
      circuit: { failureThreshold: 5, cooldownMs: 30_000, minRequests: 5, windowMs: 60_000 },
      retries: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 },
      onDisconnect: 'abort',
      safeguards: 'synthesize',
    });
    expect(config.routes[0]).toEqual({
      name: '#0 *',
      match: '*',
      models: ['*'],
      modelRegex: undefined,
      when: undefined,
      provider: 'local-llama',
      model: undefined,
      targets: [{ provider: 'local-llama', model: undefined, weight: 1 }],
      balance: 'weighted',
      affinity: 'none',
      pingIntervalMs: 10_000,
      fallbacks: [],
      commit: 'first-event',
    });
  });

  it('returns a deeply frozen config', () => {
    const config = validateConfig(valid);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.providers[0]?.timeouts)).toBe(true);
    expect(Object.isFrozen(config.routes)).toBe(true);
  });

  it('reads translate_to, beta filters and hygiene overrides, keeping unset rules absent', () => {
    const config = validateConfig({
      ...valid,
      providers: [
        {
          ...provider,
          kind: 'ollama',
          translate_to: 'openai-chat',
          betas: { deny: ['context-management-*'] },
          hygiene: { strip_billing_header: false, drop_fields: ['context_management'], tool_id_format: 'mistral9' },
        },
      ],
    });
    expect(config.providers[0]).toMatchObject({
      translateTo: 'openai-chat',
      betas: { deny: ['context-management-*'] },
      hygiene: { stripBillingHeader: false, dropFields: ['context_management'], toolIdFormat: 'mistral9' },
    });
    expect(Object.keys(config.providers[0]?.hygiene ?? {}).sort()).toEqual(['dropFields', 'stripBillingHeader', 'toolIdFormat']);
  });

  it('reads resilience settings: limits, circuit, retries, on_disconnect, total timeout, fallbacks, commit', () => {
    const config = validateConfig({
      providers: [
        { ...provider, limits: { max_in_flight: 2, max_queue: 8, max_wait_ms: 5_000 }, circuit: { failure_threshold: 3, cooldown_ms: 10_000 }, retries: { max_attempts: 1 }, on_disconnect: 'drain', timeouts: { total_ms: 900_000 } },
        { id: 'spare', kind: 'ollama', base_url: 'http://127.0.0.1:11434' },
      ],
      routes: [{ match: '*', provider: 'local-llama', fallbacks: ['spare'], commit: 'early' }],
    });
    expect(config.providers[0]).toMatchObject({
      limits: { maxInFlight: 2, maxQueue: 8, maxWaitMs: 5_000 },
      circuit: { failureThreshold: 3, cooldownMs: 10_000, minRequests: 5, windowMs: 60_000 },
      retries: { maxAttempts: 1, baseDelayMs: 200 },
      onDisconnect: 'drain',
      timeouts: { totalMs: 900_000, connectMs: 10_000 },
    });
    expect(config.routes[0]).toMatchObject({ fallbacks: ['spare'], commit: 'early' });
    expect(errorOf({ ...valid, routes: [{ match: '*', provider: 'local-llama', fallbacks: ['nope'] }] })).toBe(
      'routes[0].fallbacks[0]: unknown provider "nope" (configured: local-llama)',
    );
    expect(errorOf({ ...valid, providers: [{ ...provider, on_disconnect: 'later' }] })).toBe('providers[0].on_disconnect: must be one of: abort, drain');
  });

  it('reads context_window and refuses one that is not a sane token count', () => {
    expect(validateConfig({ ...valid, providers: [{ ...provider, context_window: 65_536 }] }).providers[0]?.contextWindow).toBe(65_536);
    expect(errorOf({ ...valid, providers: [{ ...provider, context_window: 100 }] })).toMatch(/^providers\[0\]\.context_window: /);
    expect(errorOf({ ...valid, providers: [{ ...provider, context_window: 'big' }] })).toBe('providers[0].context_window: must be an integer');
  });

  it('strips a trailing slash from base_url and defaults messages to auto', () => {
    const config = validateConfig({ ...valid, providers: [{ ...provider, base_url: 'http://h:1/v/', messages: undefined }] });
    expect(config.providers[0]?.baseUrl).toBe('http://h:1/v');
    expect(config.providers[0]?.messages).toBe('auto');
  });

  it.each([
    [{ ...valid, providers: [{ ...provider, kind: 'llamacpp' }] }, /^providers\[0\]\.kind: .*llama-cpp, ollama, vllm, lm-studio, anthropic, openai/],
    [{ ...valid, providers: [{ ...provider, id: 'Local Llama' }] }, /^providers\[0\]\.id: /],
    [{ ...valid, providers: [{ ...provider, base_url: 'localhost:8080' }] }, /^providers\[0\]\.base_url: /],
    [{ ...valid, providers: [{ ...provider, messages: 'sometimes' }] }, /^providers\[0\]\.messages: .*native, translate, auto/],
    [{ ...valid, providers: [{ ...provider, api_key_env: 'not a var' }] }, /^providers\[0\]\.api_key_env: /],
    [{ ...valid, providers: [{ ...provider, timeouts: { idle_ms: -1 } }] }, /^providers\[0\]\.timeouts\.idle_ms: /],
    [{ ...valid, providers: [{ ...provider, colour: 'red' }] }, /^providers\[0\]\.colour: unknown field/],
    [{ ...valid, routes: [{ match: '*', provider: 'nowhere' }] }, /^routes\[0\]\.provider: unknown provider "nowhere"/],
    [{ ...valid, routes: [{ match: '', provider: 'local-llama' }] }, /^routes\[0\]\.match: /],
    [{ ...valid, providers: [provider, provider] }, /^providers\[1\]\.id: duplicate provider id "local-llama"/],
    [{ ...valid, providers: [{ ...provider, kind: 'anthropic' }] }, /^providers\[0\]\.messages: kind anthropic speaks only Anthropic Messages/],
    [{ ...valid, providers: [{ ...provider, translate_to: 'ollama-chat' }] }, /^providers\[0\]\.translate_to: kind llama-cpp does not speak ollama-chat/],
    [{ ...valid, providers: [{ ...provider, translate_to: 'gemini' }] }, /^providers\[0\]\.translate_to: .*openai-chat, ollama-chat/],
    [{ ...valid, providers: [{ ...provider, betas: { deny: 'all' } }] }, /^providers\[0\]\.betas\.deny: /],
    [{ ...valid, providers: [{ ...provider, hygiene: { strip_billing_header: 'yes' } }] }, /^providers\[0\]\.hygiene\.strip_billing_header: /],
    [{ ...valid, providers: [{ ...provider, hygiene: { tool_id_format: 'short' } }] }, /^providers\[0\]\.hygiene\.tool_id_format: .*keep, mistral9/],
    [{ ...valid, providers: [{ ...provider, hygiene: { strip_billing: true } }] }, /^providers\[0\]\.hygiene\.strip_billing: unknown field/],
    [{ providers: [], routes: [] }, /^providers: /],
    [{ routes: [] }, /^providers: /],
    [[1, 2], /must be a mapping/],
    ['text', /must be a mapping/],
  ])('rejects %j with a message naming the field', (document, message) => {
    expect(errorOf(document)).toMatch(message);
  });

  describe('base_url that already holds an API path (it would be called as /v1/v1/…)', () => {
    const withBase = (kind: string, base_url: string) => ({ providers: [{ id: 'p', kind, base_url }], routes: [{ match: '*', provider: 'p' }] });

    it.each([
      ['llama-cpp', 'http://127.0.0.1:8080/v1', '/v1', 'http://127.0.0.1:8080'],
      ['llama-cpp', 'http://127.0.0.1:8080/v1/', '/v1', 'http://127.0.0.1:8080'],
      ['vllm', 'http://gpu:8000/v1/chat/completions', '/v1/chat/completions', 'http://gpu:8000'],
      ['anthropic', 'https://api.anthropic.com/v1/messages', '/v1/messages', 'https://api.anthropic.com'],
      ['ollama', 'http://127.0.0.1:11434/api', '/api', 'http://127.0.0.1:11434'],
      ['openai', 'https://example.com/proxy/v1', '/v1', 'https://example.com/proxy'],
    ])('%s with %s is rejected, naming the fix', (kind, base, clash, fixed) => {
      const message = errorOf(withBase(kind, base));
      expect(message).toContain(`providers[0].base_url: "${base}" ends in "${clash}"`);
      expect(message).toContain(`write base_url: ${fixed}`);
    });

    it.each([
      ['llama-cpp', 'http://127.0.0.1:8080'],
      ['llama-cpp', 'http://127.0.0.1:8080/'],
      ['openai', 'https://openrouter.ai/api'], // /api is Ollama's prefix, not OpenAI's
      ['vllm', 'http://gpu:8000/models/qwen'],
      ['llama-cpp', 'http://127.0.0.1:8080/v1beta'],
    ])('%s with %s is accepted', (kind, base) => {
      expect(validateConfig(withBase(kind, base)).providers[0]?.baseUrl).toBe(base.replace(/\/$/, ''));
    });
  });
});

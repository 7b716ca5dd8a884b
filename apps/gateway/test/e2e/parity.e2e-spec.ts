import Anthropic from '@anthropic-ai/sdk';

type ApiError = InstanceType<typeof Anthropic.APIError>;
import { anthropicFrames, anthropicMessage, openAiCompletion, openAiFrames, PARITY_SCENARIOS, type ParityScenario } from './parity-scenarios';
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

/** What a client can see of a message, minus the id (each path mints its own). */
function visible(message: Anthropic.Message) {
  return {
    type: message.type,
    role: message.role,
    model: message.model,
    content: message.content.map((block) => (block.type === 'tool_use' ? { type: block.type, id: block.id, name: block.name, input: block.input } : block.type === 'text' ? { type: block.type, text: block.text } : block)),
    stop_reason: message.stop_reason,
    stop_sequence: message.stop_sequence,
    input_tokens: message.usage.input_tokens,
    output_tokens: message.usage.output_tokens,
  };
}

function params(s: ParityScenario, model: string): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model,
    max_tokens: 64,
    messages: [{ role: 'user', content: `scenario: ${s.name}` }],
    ...(s.stopSequence === undefined ? {} : { stop_sequences: [s.stopSequence] }),
    ...(s.tool === undefined ? {} : { tools: [{ name: s.tool.name, description: 'Run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }] }),
    ...(s.thinking === undefined ? {} : { thinking: { type: 'enabled', budget_tokens: 1024 } }),
  };
}

describe.each(PARITY_SCENARIOS)('passthrough and translation give the SDK the same message: $name', (scenario) => {
  it('streamed (messages.stream().finalMessage())', async () => {
    h.native.expect({ method: 'POST', path: '/v1/messages' }).respond({ frames: anthropicFrames(scenario, 'big-model') });
    h.translated.expect({ method: 'POST', path: '/v1/chat/completions' }).respond({ frames: openAiFrames(scenario) });
    const viaNative = await h.client.messages.stream(params(scenario, 'native-model')).finalMessage();
    const viaTranslation = await h.client.messages.stream(params(scenario, 'translated-model')).finalMessage();
    expect({ ...visible(viaNative), model: 'x' }).toEqual({ ...visible(viaTranslation), model: 'x' });
    // Each path answers with the name the client asked for, whatever the upstream calls it.
    expect(viaNative.model).toBe('native-model');
    expect(viaTranslation.model).toBe('translated-model');
  });

  it('non-streamed (messages.create())', async () => {
    h.native.expect({ method: 'POST', path: '/v1/messages' }).respond({ json: anthropicMessage(scenario, 'big-model') });
    h.translated.expect({ method: 'POST', path: '/v1/chat/completions' }).respond({ json: openAiCompletion(scenario) });
    const viaNative = await h.client.messages.create(params(scenario, 'native-model'));
    const viaTranslation = await h.client.messages.create(params(scenario, 'translated-model'));
    expect({ ...visible(viaNative), model: 'x' }).toEqual({ ...visible(viaTranslation), model: 'x' });
    expect(viaNative.model).toBe('native-model');
  });
});

describe('errors look the same through both paths', () => {
  it.each([
    [429, { 'retry-after': '7' }, 'RateLimitError', 'rate_limit_error'],
    // 503 becomes Anthropic's 529: the SDK's OverloadedError, retried like Anthropic's own.
    [503, {}, 'OverloadedError', 'overloaded_error'],
  ] as const)('upstream %i', async (status, headers, errorClass, type) => {
    // llama-server answers errors OpenAI-shaped on both endpoints (docs/protocol.md §9).
    const body = { error: { code: status, message: 'server busy', type: status === 429 ? 'rate_limit_error' : 'unavailable_error' } };
    h.native.expect({ path: '/v1/messages' }).respond({ status, headers, json: body });
    h.translated.expect({ path: '/v1/chat/completions' }).respond({ status, headers, json: body });
    const failures = await Promise.all(
      ['native-model', 'translated-model'].map((model) =>
        h.client.messages.create({ model, max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }).then(
          () => undefined,
          (error: ApiError) => error,
        ),
      ),
    );
    for (const failure of failures) {
      expect(failure?.constructor.name).toBe(errorClass);
      expect((failure?.error as { error?: { type?: string } })?.error?.type).toBe(type);
    }
    expect(failures[0]?.status).toBe(failures[1]?.status);
    if (status === 429) expect(failures.map((f: ApiError | undefined) => f?.headers?.get('retry-after'))).toEqual(['7', '7']);
  });
});

import { GatewayError } from '@turnout/errors';
import { DEFAULT_DIALECT, type AnthropicRequest } from '@turnout/protocol';
import { sequentialIds } from '@turnout/testing';
import { anthropicToOllamaChat, estimateInputTokens, TranslatorTable, type TranslateContext } from '../../src';
import { toOllamaChatRequest } from '../../src/anthropic-ollama-chat/request';

const context = (): TranslateContext => ({
  requestId: 'req_1',
  requestedModel: 'claude-sonnet-4-5',
  upstreamModel: 'qwen3:8b',
  dialect: DEFAULT_DIALECT,
  newId: sequentialIds(),
});
const longName = 'mcp__server__'.padEnd(90, 'x');
const request = {
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  system: 'Be brief.',
  tools: [{ name: longName, input_schema: { type: 'object' } }],
  messages: [{ role: 'user', content: 'Call the tool.' }],
  stream: true,
} as unknown as AnthropicRequest;

describe('anthropicToOllamaChat', () => {
  it('is the standard table\'s translator for Anthropic Messages to Ollama /api/chat', () => {
    const translator = TranslatorTable.standard().get('anthropic-messages', 'ollama-chat');
    // Wrapped so answers carry safeguard_results when asked (with-safeguard-results.ts); otherwise the same.
    expect([translator.id, translator.upstreamProtocol, translator.error]).toEqual(['anthropic-messages->ollama-chat', 'ollama-chat', anthropicToOllamaChat.error]);
    expect(translator.begin(request, context()).upstreamBody).toEqual(anthropicToOllamaChat.begin(request, context()).upstreamBody);
    expect(Object.isFrozen(anthropicToOllamaChat)).toBe(true);
  });

  it('hands the response side the request\'s tool names and prompt estimate', () => {
    const ctx = context();
    const exchange = anthropicToOllamaChat.begin(request, ctx);
    expect(exchange.upstreamBody).toEqual(toOllamaChatRequest(request, ctx).body);
    const upstreamName = (exchange.upstreamBody as { tools: Array<{ function: { name: string } }> }).tools[0].function.name;
    expect(upstreamName).not.toBe(longName);

    const unary = exchange.fromResponse({
      model: 'qwen3:8b',
      created_at: '2026-08-01T10:00:00Z',
      message: { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', function: { index: 0, name: upstreamName, arguments: { a: 1 } } }] },
      done: true,
      done_reason: 'stop',
    });
    expect(unary.body.content).toMatchObject([{ type: 'tool_use', id: 'call_1', name: longName, input: { a: 1 } }]);
    // No counts in the body: the prompt estimate stands in for input, never 0.
    expect(unary.usage).toMatchObject({ inputTokens: estimateInputTokens(request), reported: false });

    const first = exchange.createStream().push({ model: 'qwen3:8b', created_at: 'x', message: { role: 'assistant', content: 'Hi' }, done: false });
    expect(first[0]).toMatchObject({ type: 'message_start', message: { usage: { input_tokens: estimateInputTokens(request) } } });
  });

  it('creates a fresh machine per stream', () => {
    const exchange = anthropicToOllamaChat.begin(request, context());
    const a = exchange.createStream();
    a.push({ model: 'm', created_at: 'x', message: { role: 'assistant', content: 'Hi' }, done: false });
    expect(exchange.createStream()).not.toBe(a);
    expect(exchange.createStream().push({ model: 'm', created_at: 'x', message: { role: 'assistant', content: 'Hi' }, done: false })[0].type).toBe('message_start');
  });

  describe('error (Ollama answers {"error":"…"} with the HTTP status)', () => {
    const error = (status: number, message: string): GatewayError => anthropicToOllamaChat.error(status, JSON.stringify({ error: message }), {});

    it.each([
      [404, "model 'qwen9:latest' not found", 'GW_UPSTREAM_MODEL_NOT_FOUND', 404, 'not_found_error'],
      [404, 'model "llama9" not found, try pulling it first', 'GW_UPSTREAM_MODEL_NOT_FOUND', 404, 'not_found_error'],
      [400, 'registry.ollama.ai/library/gemma3:4b does not support tools', 'GW_UPSTREAM_BAD_REQUEST', 400, 'invalid_request_error'],
      [400, '"gemma3:4b" does not support thinking', 'GW_UPSTREAM_BAD_REQUEST', 400, 'invalid_request_error'],
      [500, 'llama runner process has terminated: signal: killed', 'GW_UPSTREAM_ERROR', 500, 'api_error'],
      [503, 'server busy, please try again.  maximum pending requests exceeded', 'GW_UPSTREAM_OVERLOADED', 529, 'overloaded_error'],
    ])('%d %s → %s', (status, message, code, clientStatus, type) => {
      const mapped = error(status, message);
      expect([mapped.code, mapped.status, mapped.anthropicType]).toEqual([code, clientStatus, type]);
      expect(mapped.message).toBe(`upstream (HTTP ${status}): ${message}`);
    });
  });
});

import { GatewayError } from '@turnout/errors';
import { DEFAULT_DIALECT } from '@turnout/protocol';
import { jsonClone, sequentialIds } from '@turnout/testing';
import { fromOpenAiChatCompletion } from '../../src/anthropic-openai-chat/response';
import { createToolNameMap } from '../../src/tool-names';
import type { TranslateContext } from '../../src/translator';

const context = (): TranslateContext => ({ requestId: 'r', requestedModel: 'claude-x', upstreamModel: 'u', dialect: DEFAULT_DIALECT, newId: sequentialIds() });
const facts = { toolNames: createToolNameMap([], 64), stopSequences: ['END'] };
const translate = (json: unknown) => fromOpenAiChatCompletion(json, context(), facts);
const body = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'c',
  object: 'chat.completion',
  created: 1,
  model: 'u',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop', ...extra }],
});

function thrown(json: unknown): GatewayError {
  try {
    translate(json);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('fromOpenAiChatCompletion', () => {
  it.each<[string, unknown]>([
    ['a string body', 'oops'],
    ['an array body', []],
    ['null', null],
    ['no choices key', { id: 'c' }],
    ['a choice without message', { choices: [{ index: 0, finish_reason: 'stop' }] }],
    ['non-array tool_calls', body({ content: null, tool_calls: {} })],
    ['a tool call without function', body({ content: null, tool_calls: [{ id: 'x' }] })],
    ['non-string content', body({ content: 42 })],
  ])('rejects %s as GW_UPSTREAM_PROTOCOL', (_name, json) => {
    expect(thrown(json).code).toBe('GW_UPSTREAM_PROTOCOL');
  });

  it.each<[string, unknown, string]>([
    ['an error object with a numeric code (through the HTTP rule table)', { error: { message: 'bad thing', type: 'server_error', code: 500 } }, 'upstream (HTTP 500): bad thing'],
    ['an OpenAI error object with a string code', { error: { message: 'bad thing', type: 'server_error', code: 'oops' } }, 'The upstream failed: bad thing'],
    ['an Ollama error string', { error: 'model "x" not found' }, 'The upstream failed: model "x" not found'],
    ['an error without a message', { error: {} }, 'The upstream failed'],
  ])('reports %s as GW_UPSTREAM_ERROR', (_name, json, message) => {
    const error = thrown(json);
    expect([error.code, error.message]).toEqual(['GW_UPSTREAM_ERROR', message]);
  });

  it('draws the message id first, then tool ids in block order', () => {
    const { body: message } = translate(body({ content: null, tool_calls: [{ type: 'function', function: { name: 'A', arguments: '{}' } }] }));
    expect([message.id, message.content[0]]).toEqual(['msg_000001', expect.objectContaining({ id: 'toolu_000001' })]);
  });

  it('takes an arguments object as the input itself', () => {
    const { body: message } = translate(body({ content: null, tool_calls: [{ id: 'c1', function: { name: 'A', arguments: { b: [1] } } }] }));
    expect(message.content).toEqual([{ type: 'tool_use', id: 'c1', name: 'A', input: { b: [1] }, caller: { type: 'direct' } }]);
  });

  it('orders thinking before text before tools whatever the field order, and prefers reasoning_content', () => {
    const { body: message } = translate(
      body({ tool_calls: [{ id: 'c1', function: { name: 'A', arguments: '{}' } }], content: 'Text', reasoning: 'other', reasoning_content: 'Thought' }),
    );
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(message.content[0]).toEqual({ type: 'thinking', thinking: 'Thought', signature: '' });
  });

  it('joins content and refusal into one text block and stops with refusal', () => {
    const { body: message } = translate(body({ content: 'Partly. ', refusal: 'No more.' }));
    expect([message.content, message.stop_reason]).toEqual([[{ type: 'text', text: 'Partly. No more.', citations: null }], 'refusal']);
  });

  it('reads the index-0 choice whatever its position', () => {
    const json = { choices: [{ index: 1, message: { content: 'other' }, finish_reason: 'stop' }, { index: 0, message: { content: 'mine' }, finish_reason: 'length' }] };
    const { body: message } = translate(json);
    expect([message.content[0], message.stop_reason]).toEqual([expect.objectContaining({ text: 'mine' }), 'max_tokens']);
  });

  it('maps function_call and unknown finish reasons without tool calls to end_turn, null too', () => {
    for (const finish of ['function_call', 'tool_calls', 'weird', null]) {
      expect(translate(body({ content: 'x' }, { finish_reason: finish })).body.stop_reason).toBe('end_turn');
    }
  });

  it('reports usage with thinking tokens and the reported flag', () => {
    const json = { ...body({ content: 'x' }), usage: { prompt_tokens: 10, completion_tokens: 7, completion_tokens_details: { reasoning_tokens: 5 } } };
    const { body: message, usage } = translate(json);
    expect(usage).toEqual({ inputTokens: 10, outputTokens: 7, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, reported: true });
    expect(message.usage.output_tokens_details).toEqual({ thinking_tokens: 5 });
  });

  it('never lets cached tokens push input_tokens below zero', () => {
    const json = { ...body({ content: 'x' }), usage: { prompt_tokens: 5, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 9 } } };
    expect(translate(json).body.usage).toMatchObject({ input_tokens: 0, cache_read_input_tokens: 9 });
  });

  it('treats a usage object without token counts as missing usage', () => {
    expect(translate({ ...body({ content: 'abcdefgh' }), usage: {} }).usage).toMatchObject({ outputTokens: 2, reported: false });
  });

  it('does not mutate its input', () => {
    const json = body({ content: 'x', tool_calls: [{ id: 'a.b', function: { name: 'A', arguments: 'bad' } }] });
    const copy = jsonClone(json);
    translate(json);
    expect(json).toEqual(copy);
  });
});

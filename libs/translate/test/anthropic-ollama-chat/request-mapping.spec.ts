import { DEFAULT_DIALECT, type AnthropicRequest } from '@turnout/protocol';
import { toOllamaChatRequest } from '../../src/anthropic-ollama-chat/request';
import type { TranslateContext } from '../../src/translator';
import { gatewayErrorOf as thrown } from './gateway-error-of';

const context = (extra: Partial<TranslateContext> = {}): TranslateContext => ({
  requestId: 'req_1',
  requestedModel: 'claude-sonnet-4-5',
  upstreamModel: 'qwen3:8b',
  dialect: DEFAULT_DIALECT,
  newId: (prefix) => `${prefix}_x`,
  ...extra,
});
const request = (extra: Record<string, unknown>): AnthropicRequest =>
  ({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }], ...extra }) as AnthropicRequest;
const body = (extra: Record<string, unknown>, ctx = context()) => toOllamaChatRequest(request(extra), ctx).body;

describe('toOllamaChatRequest', () => {
  it.each([
    [{ thinking: { type: 'enabled', budget_tokens: 500 } }, true],
    [{ thinking: { type: 'enabled', budget_tokens: 32000 }, output_config: { effort: 'low' } }, true],
    [{ thinking: { type: 'disabled' }, output_config: { effort: 'high' } }, false],
    [{ thinking: { type: 'adaptive' }, output_config: { effort: 'low' } }, 'low'],
    [{ thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } }, 'medium'],
    [{ thinking: { type: 'adaptive' }, output_config: { effort: 'high' } }, 'high'],
    [{ thinking: { type: 'adaptive' }, output_config: { effort: 'xhigh' } }, 'high'],
    [{ thinking: { type: 'adaptive' }, output_config: { effort: 'max' } }, 'max'],
    [{ output_config: { effort: 'medium' } }, 'medium'],
    [{ thinking: { type: 'adaptive' } }, undefined],
    [{ thinking: { type: 'adaptive' }, output_config: { effort: 'turbo' } }, undefined],
    [{}, undefined],
  ])('maps thinking %j to think %j', (fields, think) => {
    expect(body(fields).think).toBe(think);
  });

  it('sets num_ctx from the context window when the gateway knows one', () => {
    expect(body({}, context({ contextWindow: 131072 })).options).toEqual({ num_predict: 100, num_ctx: 131072 });
    expect(body({}).options).toEqual({ num_predict: 100 });
    for (const contextWindow of [0, -1, 1.5, Number.NaN]) expect(body({}, context({ contextWindow })).options).toEqual({ num_predict: 100 });
  });

  it('sends no options object when nothing is set (a count_tokens body)', () => {
    const { max_tokens: _omitted, ...withoutMax } = request({});
    expect(toOllamaChatRequest(withoutMax as AnthropicRequest, context()).body).toEqual({
      model: 'qwen3:8b',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: false,
    });
  });

  it('requires a name for a named tool_choice', () => {
    const tools = [{ name: 'Bash', input_schema: { type: 'object' } }];
    expect(thrown(() => body({ tools, tool_choice: { type: 'tool' } })).message).toBe('tool_choice.name: Field required');
  });

  it('keeps tool calls and results in the history when tool_choice none removes the tools', () => {
    const messages = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'a' }] },
    ];
    const result = body({ messages, tools: [{ name: 'Bash', input_schema: { type: 'object' } }], tool_choice: { type: 'none' } });
    expect(result.tools).toBeUndefined();
    expect(result.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
  });

  it('serialises tool arguments in the order the client gave them, nested keys included', () => {
    const input = { path: 'a', 10: 'numeric', edits: [{ old: 'x', new: 'y' }], dry: false };
    const messages = [
      { role: 'user', content: 'edit' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Edit', input }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
    ];
    const json = JSON.stringify(body({ messages }));
    expect(json).toContain(`"arguments":${JSON.stringify(input)}`);
  });

  it('joins a user turn\'s text with blank lines and collects its images, in order', () => {
    const image = (data: string) => ({ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data } });
    const content = [{ type: 'text', text: 'First' }, image('AAA='), { type: 'text', text: '' }, { type: 'text', text: 'Second' }, image('BBB=')];
    expect(body({ messages: [{ role: 'user', content }] }).messages).toEqual([{ role: 'user', content: 'First\n\nSecond', images: ['AAA=', 'BBB='] }]);
  });

  it('gives an assistant turn with only tool calls an empty string content', () => {
    const messages = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1' }] },
    ];
    expect(body({ messages }).messages[1]).toEqual({ role: 'assistant', content: '', tool_calls: [{ id: 't1', function: { name: 'Bash', arguments: {} } }] });
  });

  it('says stream explicitly, true only when the client streams', () => {
    expect(body({ stream: true }).stream).toBe(true);
    expect(body({ stream: false }).stream).toBe(false);
    expect(body({}).stream).toBe(false);
  });
});

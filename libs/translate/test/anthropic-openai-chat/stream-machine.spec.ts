import { GatewayError } from '@turnout/errors';
import { DEFAULT_DIALECT, type AnthropicStreamEvent, type OpenAiChatChunk } from '@turnout/protocol';
import { assertAnthropicStreamGrammar, foldAnthropicStream, sequentialIds } from '@turnout/testing';
import type { OpenAiStreamItem } from '../../src/anthropic-openai-chat/decode';
import { createOpenAiChatToAnthropicStream } from '../../src/anthropic-openai-chat/stream';
import { createToolNameMap } from '../../src/tool-names';
import type { TranslateContext } from '../../src/translator';

const context = (): TranslateContext => ({
  requestId: 'req_1',
  requestedModel: 'claude-haiku-4-5',
  upstreamModel: 'qwen3',
  dialect: DEFAULT_DIALECT,
  newId: sequentialIds(),
});
const facts = { toolNames: createToolNameMap([], 64), stopSequences: [] };
const machine = () => createOpenAiChatToAnthropicStream(context(), facts);

const item = (body: Record<string, unknown>): OpenAiStreamItem => ({
  kind: 'chunk',
  chunk: { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'qwen3', ...body } as unknown as OpenAiChatChunk,
});
const delta = (d: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}): OpenAiStreamItem =>
  item({ choices: [{ index: 0, delta: d, finish_reason: finish, ...extra }] });
const done: OpenAiStreamItem = { kind: 'done' };
const call = (index: number, id: string | undefined, name: string | undefined, args: string) => ({ index, id, function: { name, arguments: args } });

function run(items: readonly OpenAiStreamItem[]): AnthropicStreamEvent[] {
  const m = machine();
  const events = items.flatMap((i) => [...m.push(i)]);
  events.push(...m.end());
  assertAnthropicStreamGrammar(events);
  return events;
}

function thrown(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

const blockTypes = (events: readonly AnthropicStreamEvent[]) =>
  events.flatMap((e) => (e.type === 'content_block_start' ? [`${e.index}:${e.content_block.type}`] : []));

describe('createOpenAiChatToAnthropicStream', () => {
  it('starts the message on the first chunk, even one without content', () => {
    const m = machine();
    const events = m.push(delta({ role: 'assistant', content: null }));
    expect(events).toEqual([
      {
        type: 'message_start',
        message: expect.objectContaining({ id: 'msg_000001', model: 'claude-haiku-4-5', content: [], stop_reason: null, stop_details: null, container: null }),
      },
    ]);
  });

  it('exposes usage and stopReason only once they are known', () => {
    const m = machine();
    m.push(delta({ content: 'Hi' }, 'stop'));
    expect([m.usage, m.stopReason]).toEqual([undefined, null]);
    m.push(item({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, prompt_tokens_details: { cached_tokens: 4 } } }));
    expect(m.usage).toEqual({ inputTokens: 6, outputTokens: 2, cacheReadInputTokens: 4, cacheCreationInputTokens: 0, reported: true });
    m.push(done);
    expect(m.stopReason).toBe('end_turn');
    expect(m.end()).toEqual([]);
  });

  it('estimates output from the chunks that carried output when usage never comes', () => {
    const m = machine();
    [delta({ role: 'assistant', content: null }), delta({ reasoning_content: 'a' }), delta({ content: 'b', reasoning_content: 'c' }), delta({ content: '' }), delta({}, 'stop'), done].forEach((i) => m.push(i));
    expect(m.usage).toEqual({ inputTokens: 0, outputTokens: 2, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, reported: false });
  });

  it('throws an upstream error chunk before message_start when it comes first, mapped like an HTTP error', () => {
    const m = machine();
    const error = thrown(() => m.push(item({ error: { code: 503, message: 'Loading model', type: 'unavailable_error' } })));
    expect([error.code, error.status, error.message, error.upstreamStatus]).toEqual(['GW_UPSTREAM_OVERLOADED', 529, 'upstream (HTTP 503): Loading model', 503]);
  });

  it('maps an in-band context overflow to a 400 (Claude Code then offers compaction)', () => {
    const overflow = { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 5010, n_ctx: 4096 };
    const error = thrown(() => machine().push(item({ error: overflow })));
    expect([error.code, error.anthropicType]).toEqual(['GW_UPSTREAM_BAD_REQUEST', 'invalid_request_error']);
  });

  it('throws an error chunk after events too, and accepts a bare string error', () => {
    const m = machine();
    expect(m.push(delta({ content: 'Hi' })).length).toBe(3);
    expect(thrown(() => m.push(item({ error: 'boom' }))).message).toBe('The upstream failed: boom');
  });

  it('ends on EOF after a finish_reason, and fails on EOF before one', () => {
    const m = machine();
    m.push(delta({ content: 'Hi' }, 'length'));
    expect(m.end().map((e) => e.type)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(m.stopReason).toBe('max_tokens');

    const broken = machine();
    broken.push(delta({ content: 'Hi' }));
    expect(thrown(() => broken.end()).code).toBe('GW_UPSTREAM_STREAM_ENDED');
    expect(thrown(() => machine().end()).code).toBe('GW_UPSTREAM_STREAM_ENDED');
  });

  it('treats [DONE] without a finish_reason as a clean end_turn, and ignores anything after it', () => {
    const m = machine();
    m.push(delta({ content: 'Hi' }));
    expect(m.push(done).map((e) => e.type)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(m.push(delta({ content: 'late' }))).toEqual([]);
    expect(m.stopReason).toBe('end_turn');
  });

  it('opens a tool block right after thinking at the next index (ollama#14816)', () => {
    const events = run([delta({ reasoning_content: 'plan' }), delta({ tool_calls: [call(0, 'c1', 'Bash', '{}')] }), delta({}, 'tool_calls'), done]);
    expect(blockTypes(events)).toEqual(['0:thinking', '1:tool_use']);
  });

  it('sends held leading whitespace with the first real text, and whitespace inside a block as is', () => {
    const events = run([delta({ content: '\n' }), delta({ content: ' ' }), delta({ content: 'Hi' }), delta({ content: '\n\n' }), delta({}, 'stop'), done]);
    const texts = events.flatMap((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? [e.delta.text] : []));
    expect(texts).toEqual(['\n Hi', '\n\n']);
  });

  it('drops whitespace-only text when the stream ends', () => {
    expect(blockTypes(run([delta({ content: '  ' }), delta({}, 'stop'), done]))).toEqual([]);
  });

  it('maps tool_use from blocks: max_tokens when "length" cut a call, tool_use for "stop" with a call, end_turn for "tool_calls" without one', () => {
    const truncated = run([delta({ tool_calls: [call(0, 'c1', 'Bash', '{"command":"ls"')] }), delta({}, 'length'), done]);
    expect(foldAnthropicStream(truncated)).toMatchObject({ stop_reason: 'max_tokens', content: [{ input: { command: 'ls' } }] });
    const stopped = run([delta({ tool_calls: [call(0, 'c1', 'Bash', '{"command":"ls"}')] }), delta({}, 'stop'), done]);
    expect(foldAnthropicStream(stopped).stop_reason).toBe('tool_use');
    expect(foldAnthropicStream(run([delta({ content: 'x' }), delta({}, 'tool_calls'), done])).stop_reason).toBe('end_turn');
  });

  it('emits a call that never got a name at the end, named "" and after the calls before it', () => {
    const events = run([delta({ tool_calls: [call(0, 'c1', undefined, '{"a":1}')] }), delta({ tool_calls: [call(1, 'c2', 'B', '{}')] }), delta({}, 'tool_calls'), done]);
    expect(foldAnthropicStream(events).content).toMatchObject([
      { type: 'tool_use', id: 'c1', name: '', input: { a: 1 } },
      { type: 'tool_use', id: 'c2', name: 'B', input: {} },
    ]);
  });

  it('keeps the first name when a server repeats it on every fragment', () => {
    const events = run([delta({ tool_calls: [call(0, 'c1', 'Bash', '{"a":')] }), delta({ tool_calls: [call(0, 'c1', 'Bash', '1}')] }), delta({}, 'tool_calls'), done]);
    expect(foldAnthropicStream(events).content).toMatchObject([{ name: 'Bash', input: { a: 1 } }]);
  });

  it('uses the fragment position as the key when a server omits index', () => {
    const fragment = (args: string) => ({ function: { arguments: args } });
    const events = run([delta({ tool_calls: [{ id: 'c1', function: { name: 'A', arguments: '{"x":' } }] }), delta({ tool_calls: [fragment('2}')] }), delta({}, 'tool_calls'), done]);
    expect(foldAnthropicStream(events).content).toMatchObject([{ id: 'c1', input: { x: 2 } }]);
  });

  it('reads only the choice with index 0', () => {
    const events = run([item({ choices: [{ index: 1, delta: { content: 'other' }, finish_reason: null }, { index: 0, delta: { content: 'mine' }, finish_reason: null }] }), delta({}, 'stop'), done]);
    expect(foldAnthropicStream(events).content).toMatchObject([{ type: 'text', text: 'mine' }]);
  });

  it.each<[string, OpenAiStreamItem]>([
    ['non-array tool_calls', delta({ tool_calls: { index: 0 } })],
    ['a tool call fragment that is not an object', delta({ tool_calls: ['x'] })],
    ['non-string content', delta({ content: 42 })],
    ['non-string refusal', delta({ refusal: {} })],
  ])('rejects %s as GW_UPSTREAM_PROTOCOL', (_name, bad) => {
    const m = machine();
    m.push(delta({ role: 'assistant' }));
    expect(thrown(() => m.push(bad)).code).toBe('GW_UPSTREAM_PROTOCOL');
  });

  it('keeps machines independent', () => {
    const a = machine();
    const b = machine();
    a.push(delta({ content: 'A' }));
    expect(b.push(delta({ content: 'B' }))[0]).toMatchObject({ message: { id: 'msg_000001' } });
    expect(a.push(done).find((e) => e.type === 'message_delta')).toBeDefined();
    expect(b.stopReason).toBeNull();
  });
});

import { DEFAULT_DIALECT, type AnthropicStreamEvent, type OllamaChatStreamLine } from '@turnout/protocol';
import { assertAnthropicStreamGrammar, foldAnthropicStream, sequentialIds } from '@turnout/testing';
import { createOllamaChatToAnthropicStream } from '../../src/anthropic-ollama-chat/stream';
import { createToolNameMap } from '../../src/tool-names';
import type { TranslateContext } from '../../src/translator';
import { gatewayErrorOf as thrown } from './gateway-error-of';

const context = (): TranslateContext => ({
  requestId: 'req_1',
  requestedModel: 'claude-haiku-4-5',
  upstreamModel: 'qwen3',
  dialect: DEFAULT_DIALECT,
  newId: sequentialIds(),
});
const machine = () => createOllamaChatToAnthropicStream(context(), { toolNames: createToolNameMap([], 64), estimatedInputTokens: 4321 });

const line = (message: Record<string, unknown>, extra: Record<string, unknown> = {}): OllamaChatStreamLine =>
  ({ model: 'qwen3', created_at: '2026-08-01T10:00:00Z', message: { role: 'assistant', content: '', ...message }, done: false, ...extra }) as OllamaChatStreamLine;
const done = (extra: Record<string, unknown> = {}, message: Record<string, unknown> = {}): OllamaChatStreamLine =>
  line(message, { done: true, done_reason: 'stop', prompt_eval_count: 10, eval_count: 3, ...extra });
const call = (id: string | undefined, name: string, args: unknown, index?: number) => ({ ...(id === undefined ? {} : { id }), function: { ...(index === undefined ? {} : { index }), name, arguments: args } });
const raw = (value: unknown) => value as OllamaChatStreamLine;

function run(lines: readonly OllamaChatStreamLine[]): AnthropicStreamEvent[] {
  const m = machine();
  const events = lines.flatMap((l) => [...m.push(l)]);
  events.push(...m.end());
  assertAnthropicStreamGrammar(events);
  return events;
}

const toolBlocks = (events: readonly AnthropicStreamEvent[]) =>
  events.flatMap((e) => (e.type === 'content_block_start' && e.content_block.type === 'tool_use' ? [e.content_block.id] : []));

describe('createOllamaChatToAnthropicStream', () => {
  it('starts the message on the first line with the estimated prompt size, and the real count at the end', () => {
    const m = machine();
    const [start] = m.push(line({ content: 'Hi' }));
    expect(start).toEqual({
      type: 'message_start',
      message: expect.objectContaining({ id: 'msg_000001', model: 'claude-haiku-4-5', content: [], stop_reason: null }),
    });
    expect(start.type === 'message_start' && start.message.usage).toMatchObject({ input_tokens: 4321, output_tokens: 0 });
    const end = m.push(done({ prompt_eval_count: 2048, eval_count: 7 }));
    expect(end.find((e) => e.type === 'message_delta')).toMatchObject({ usage: { input_tokens: 2048, output_tokens: 7 } });
  });

  it('exposes usage and stopReason only once the done line has arrived', () => {
    const m = machine();
    m.push(line({ content: 'Hi' }));
    expect([m.usage, m.stopReason]).toEqual([undefined, null]);
    m.push(done({ done_reason: 'length', prompt_eval_count: 0, eval_count: 1 }));
    // A reported 0 is a count, not a missing one.
    expect(m.usage).toEqual({ inputTokens: 0, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, reported: true });
    expect(m.stopReason).toBe('max_tokens');
  });

  it('throws an error line that comes first before any event, so the client gets an HTTP error', () => {
    const m = machine();
    const error = thrown(() => m.push(raw({ error: 'model requires more system memory (12.0 GiB) than is available (8.0 GiB)' })));
    expect([error.code, error.status, error.anthropicType]).toEqual(['GW_UPSTREAM_ERROR', 500, 'api_error']);
    expect(error.message).toBe('The upstream failed: model requires more system memory (12.0 GiB) than is available (8.0 GiB)');
  });

  it('throws an error line after events from push, having returned the earlier events', () => {
    const m = machine();
    expect(m.push(line({ content: 'Hi' })).map((e) => e.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(thrown(() => m.push(raw({ error: 'boom' }))).message).toBe('The upstream failed: boom');
  });

  it('fails at the end of the body without a done line, and ignores anything after one', () => {
    const broken = machine();
    broken.push(line({ content: 'Hi' }));
    expect(thrown(() => broken.end()).code).toBe('GW_UPSTREAM_STREAM_ENDED');
    expect(thrown(() => machine().end()).code).toBe('GW_UPSTREAM_STREAM_ENDED');

    const m = machine();
    m.push(done());
    expect(m.push(line({ content: 'late' }))).toEqual([]);
    expect(m.end()).toEqual([]);
  });

  it('rejects lines that are not chat lines instead of skipping them', () => {
    expect(thrown(() => machine().push(raw({ model: 'qwen3', done: false }))).code).toBe('GW_UPSTREAM_PROTOCOL');
    expect(thrown(() => machine().push(line({ content: 42 }))).message).toBe('The upstream message has a non-string content');
    expect(thrown(() => machine().push(line({ tool_calls: {} }))).message).toBe('The upstream message has a non-array tool_calls');
    expect(thrown(() => machine().push(line({ tool_calls: [{ id: 'x' }] }))).message).toBe('The upstream sent a tool call without a function');
  });

  it('accepts a done line without a message', () => {
    const events = run([line({ content: 'Hi' }), raw({ model: 'qwen3', done: true, done_reason: 'stop', eval_count: 1, prompt_eval_count: 2 })]);
    expect(foldAnthropicStream(events).content).toMatchObject([{ type: 'text', text: 'Hi' }]);
  });

  it('closes thinking before a tool call and gives the call the next index (ollama#14816)', () => {
    const events = run([line({ thinking: 'plan' }), line({ tool_calls: [call('c1', 'Bash', { command: 'ls' }, 0)] }), done()]);
    expect(events.flatMap((e) => (e.type === 'content_block_start' ? [`${e.index}:${e.content_block.type}`] : []))).toEqual(['0:thinking', '1:tool_use']);
  });

  it('sends each call as one input_json_delta with the arguments in the order Ollama sent them', () => {
    const events = run([line({ tool_calls: [call('c1', 'Edit', { zeta: 1, alpha: { y: 2, b: 3 } }, 0)] }), done()]);
    const deltas = events.flatMap((e) => (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta' ? [e.delta.partial_json] : []));
    expect(deltas).toEqual(['{"zeta":1,"alpha":{"y":2,"b":3}}']);
  });

  it('dedupes calls by id even when the index differs, and keeps calls with new ids under a known index', () => {
    const events = run([
      line({ tool_calls: [call('a', 'Bash', {}, 0)] }),
      line({ tool_calls: [call('b', 'Bash', {}, 0)] }),
      done({}, { tool_calls: [call('a', 'Bash', {}, 5), call('b', 'Bash', {}, 1)] }),
    ]);
    expect(toolBlocks(events)).toEqual(['a', 'b']);
  });

  it('gives calls without an id fresh toolu ids and sanitises ids Anthropic would reject', () => {
    const events = run([line({ tool_calls: [call(undefined, 'Bash', {}, 0), call('functions.Bash:1', 'Bash', {}, 1)] }), done()]);
    expect(toolBlocks(events)).toEqual(['toolu_000001', 'functions_Bash_1']);
  });

  it('restores shortened tool names and names an unnamed call ""', () => {
    const long = 'x'.repeat(80);
    const names = createToolNameMap([{ name: long }], 64);
    const m = createOllamaChatToAnthropicStream(context(), { toolNames: names, estimatedInputTokens: 1 });
    const events = [...m.push(line({ tool_calls: [call('a', names.toUpstream(long), {}, 0), call('b', '', {}, 1)] })), ...m.push(done())];
    expect(foldAnthropicStream(events).content).toMatchObject([{ name: long }, { name: '' }]);
  });

  it('reports tool_use whenever a call was emitted, whatever done_reason says', () => {
    expect(foldAnthropicStream(run([line({ tool_calls: [call('a', 'Bash', {}, 0)] }), done({ done_reason: 'length' })])).stop_reason).toBe('tool_use');
    expect(foldAnthropicStream(run([line({ content: 'x' }), done({ done_reason: 'unload' })])).stop_reason).toBe('end_turn');
  });
});

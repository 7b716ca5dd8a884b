import { jsonClone } from './json-clone';
import type { AnthropicStreamEvent, OpenAiChatChunk } from '@turnout/protocol';
import { foldAnthropicStream, foldOpenAiChatStream, sdkFinalMessage, type FoldableOpenAiItem } from './fold-anthropic-stream';

const usage = { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 };
const start = {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, stop_details: null, container: null, usage },
};

// docs/protocol.md §3.7, with pings.
const example = [
  start,
  { type: 'ping' },
  { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Need to ' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'list files.' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: '' } },
  { type: 'content_block_stop', index: 0 },
  { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '', citations: null } },
  { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Listing.' } },
  { type: 'content_block_stop', index: 1 },
  { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_01Q', name: 'Bash', input: {} } },
  { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"command":' } },
  { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '"ls"}' } },
  { type: 'content_block_stop', index: 2 },
  { type: 'content_block_start', index: 3, content_block: { type: 'tool_use', id: 'toolu_02', name: 'Noop', input: {} } },
  { type: 'content_block_stop', index: 3 },
  {
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null, stop_details: null, container: null },
    usage: { input_tokens: 812, cache_read_input_tokens: 14020, cache_creation_input_tokens: 0, output_tokens: 41, output_tokens_details: null, server_tool_use: null },
  },
  { type: 'message_stop' },
] as unknown as AnthropicStreamEvent[];

describe('foldAnthropicStream', () => {
  it('builds the final message the way the SDK accumulator does', async () => {
    const folded = foldAnthropicStream(example);
    expect(folded).toEqual({
      ...start.message,
      content: [
        { type: 'thinking', thinking: 'Need to list files.', signature: '' },
        { type: 'text', text: 'Listing.', citations: null },
        { type: 'tool_use', id: 'toolu_01Q', name: 'Bash', input: { command: 'ls' } },
        { type: 'tool_use', id: 'toolu_02', name: 'Noop', input: {} },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      stop_details: null,
      usage: { input_tokens: 812, cache_read_input_tokens: 14020, cache_creation_input_tokens: 0, output_tokens: 41 },
    });
    expect(await sdkFinalMessage(example)).toEqual(folded);
  });

  it('does not mutate the events', () => {
    const copy = jsonClone(example);
    foldAnthropicStream(example);
    expect(example).toEqual(copy);
  });

  it.each<[string, unknown[], RegExp]>([
    ['a delta of the wrong type', [start, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'x' } }], /thinking_delta for a text block/],
    ['invalid tool JSON', [start, { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'n', input: {} } }, { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a"' } }, { type: 'content_block_stop', index: 0 }], /JSON/],
    ['no message_stop', [start], /no message_stop/],
    ['no message_start', [{ type: 'message_stop' }], /before message_start/],
    ['an error event', [start, { type: 'error', error: { type: 'api_error', message: 'boom' } }], /stream error api_error: boom/],
  ])('throws on %s', (_name, events, message) => {
    expect(() => foldAnthropicStream(events as AnthropicStreamEvent[])).toThrow(message);
  });
});

describe('foldOpenAiChatStream', () => {
  const chunk = (choice: Record<string, unknown> | null, extra: Record<string, unknown> = {}): FoldableOpenAiItem => ({
    kind: 'chunk',
    chunk: { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'up', choices: choice ? [{ index: 0, finish_reason: null, ...choice }] : [], ...extra } as unknown as OpenAiChatChunk,
  });

  it('concatenates content and reasoning, keys tool calls by index and id, keeps the last finish and usage', () => {
    const folded = foldOpenAiChatStream([
      chunk({ delta: { role: 'assistant', content: null } }),
      chunk({ delta: { reasoning_content: 'think ' } }),
      chunk({ delta: { reasoning: 'more' } }),
      chunk({ delta: { content: 'Hi' } }),
      chunk({ delta: { tool_calls: [{ index: 0, id: 'a', function: { name: 'A', arguments: '{"x":' } }] } }),
      chunk({ delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] } }),
      chunk({ delta: { tool_calls: [{ index: 0, id: 'b', function: { name: 'B', arguments: '{}' } }] } }),
      chunk({ delta: {}, finish_reason: 'tool_calls', stop_reason: null }),
      chunk(null, { usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }),
      { kind: 'done' },
    ]);
    expect(folded).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'up',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Hi',
            refusal: null,
            reasoning_content: 'think more',
            tool_calls: [
              { id: 'a', type: 'function', function: { name: 'A', arguments: '{"x":1}' } },
              { id: 'b', type: 'function', function: { name: 'B', arguments: '{}' } },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
          // Kept even when null: vLLM's null (an end of turn) and llama.cpp's absent key mean different things.
          stop_reason: null,
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
  });

  it('keeps vLLM stop_reason and reads nothing after [DONE]', () => {
    const folded = foldOpenAiChatStream([chunk({ delta: { content: 'a' }, finish_reason: 'stop', stop_reason: '###' }), { kind: 'done' }, chunk({ delta: { content: 'b' } })]);
    expect(folded.choices[0]).toMatchObject({ message: { content: 'a' }, finish_reason: 'stop', stop_reason: '###' });
    expect(folded.usage).toBeUndefined();
  });

  it("carries llama.cpp's __verbose from the finish chunk, and no stop_reason key when the chunk had none", () => {
    const verbose = { stop_type: 'word', stopping_word: 'e' };
    const folded = foldOpenAiChatStream([chunk({ delta: { content: 'a' } }), chunk({ delta: {}, finish_reason: 'stop' }, { __verbose: verbose }), { kind: 'done' }]);
    expect((folded as unknown as Record<string, unknown>).__verbose).toEqual(verbose);
    expect(folded.choices[0]).not.toHaveProperty('stop_reason');
  });

  it('throws on an error chunk', () => {
    expect(() => foldOpenAiChatStream([chunk(null, { error: { message: 'x' } })])).toThrow(/error chunk/);
  });
});

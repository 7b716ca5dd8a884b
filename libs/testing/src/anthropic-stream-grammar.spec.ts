import type { AnthropicStreamEvent } from '@turnout/protocol';
import { assertAnthropicStreamGrammar } from './anthropic-stream-grammar';

// Events are built loosely on purpose: several bad streams are not even well-typed.
type LooseEvent = Record<string, unknown> & { type: string };
const check = (events: LooseEvent[]): void => assertAnthropicStreamGrammar(events as unknown as AnthropicStreamEvent[]);

const start: LooseEvent = {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } },
};
const blockStart = (index: number, content_block: Record<string, unknown>): LooseEvent => ({ type: 'content_block_start', index, content_block });
const delta = (index: number, d: Record<string, unknown>): LooseEvent => ({ type: 'content_block_delta', index, delta: d });
const stop = (index: number): LooseEvent => ({ type: 'content_block_stop', index });
const text = (t: string): Record<string, unknown> => ({ type: 'text_delta', text: t });
const thinking = (t: string): Record<string, unknown> => ({ type: 'thinking_delta', thinking: t });
const signature: Record<string, unknown> = { type: 'signature_delta', signature: '' };
const json = (partial_json: string): Record<string, unknown> => ({ type: 'input_json_delta', partial_json });
const textBlock = { type: 'text', text: '' };
const thinkingBlock = { type: 'thinking', thinking: '', signature: '' };
const toolBlock = { type: 'tool_use', id: 'toolu_01', name: 'Bash', input: {} };
const messageDelta: LooseEvent = { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } };
const messageStop: LooseEvent = { type: 'message_stop' };
const ping: LooseEvent = { type: 'ping' };
const error: LooseEvent = { type: 'error', error: { type: 'api_error', message: 'boom' } };

describe('assertAnthropicStreamGrammar', () => {
  describe('accepts', () => {
    it.each<[string, LooseEvent[]]>([
      [
        'thinking → text → tool_use (docs/protocol.md §3.7)',
        [
          start,
          ping,
          blockStart(0, thinkingBlock),
          delta(0, thinking('Need to list files.')),
          delta(0, signature),
          stop(0),
          blockStart(1, textBlock),
          delta(1, text('Listing.')),
          stop(1),
          blockStart(2, toolBlock),
          delta(2, json('{"command":')),
          delta(2, json('"ls"}')),
          stop(2),
          messageDelta,
          messageStop,
        ],
      ],
      ['no content at all', [start, messageDelta, messageStop]],
      ['leading pings and pings inside blocks', [ping, ping, start, blockStart(0, textBlock), ping, delta(0, text('a')), stop(0), messageDelta, messageStop]],
      ['a tool block without deltas (input {})', [start, blockStart(0, toolBlock), stop(0), messageDelta, messageStop]],
      ['error after an open block', [start, blockStart(0, textBlock), delta(0, text('a')), error]],
      ['error alone', [error]],
      ['two message_delta events', [start, messageDelta, messageDelta, messageStop]],
    ])('%s', (_name, events) => {
      expect(() => check(events)).not.toThrow();
    });
  });

  describe('rejects', () => {
    it.each<[string, LooseEvent[], RegExp]>([
      ['an empty stream', [], /no message_start/],
      ['a block before message_start', [blockStart(0, textBlock), stop(0)], /before message_start/],
      ['a duplicate message_start', [start, start, messageDelta, messageStop], /duplicate message_start/],
      ['message_start with content', [{ ...start, message: { content: [textBlock], usage: {} } }, messageDelta, messageStop], /empty array/],
      ['message_start without usage', [{ ...start, message: { content: [] } }, messageDelta, messageStop], /usage must be an object/],
      ['an index gap', [start, blockStart(1, textBlock), stop(1), messageDelta, messageStop], /index 1, expected 0/],
      ['index reuse', [start, blockStart(0, textBlock), stop(0), blockStart(0, toolBlock), stop(0), messageDelta, messageStop], /index 0, expected 1/],
      ['two open blocks', [start, blockStart(0, textBlock), blockStart(1, textBlock), stop(1), stop(0), messageDelta, messageStop], /still open/],
      ['a delta outside a block', [start, delta(0, text('a')), messageDelta, messageStop], /outside an open block/],
      ['a delta for another index', [start, blockStart(0, textBlock), delta(1, text('a')), stop(0), messageDelta, messageStop], /delta for index 1/],
      ['thinking_delta in a text block', [start, blockStart(0, textBlock), delta(0, thinking('x')), stop(0), messageDelta, messageStop], /thinking_delta in a text block/],
      ['text_delta in a thinking block', [start, blockStart(0, thinkingBlock), delta(0, text('x')), delta(0, signature), stop(0), messageDelta, messageStop], /text_delta in a thinking block/],
      ['input_json_delta in a text block', [start, blockStart(0, textBlock), delta(0, json('{}')), stop(0), messageDelta, messageStop], /input_json_delta in a text block/],
      ['text_delta in a tool_use block', [start, blockStart(0, toolBlock), delta(0, text('x')), stop(0), messageDelta, messageStop], /text_delta in a tool_use block/],
      ['signature_delta in a text block', [start, blockStart(0, textBlock), delta(0, signature), stop(0), messageDelta, messageStop], /signature_delta in a text block/],
      ['a delta into a block that arrives complete', [start, blockStart(0, { type: 'redacted_thinking', data: 'x' }), delta(0, text('x')), stop(0), messageDelta, messageStop], /redacted_thinking block/],
      ['an unknown delta type', [start, blockStart(0, textBlock), delta(0, { type: 'mystery_delta' }), stop(0), messageDelta, messageStop], /mystery_delta/],
      ['thinking stopped without signature_delta', [start, blockStart(0, thinkingBlock), delta(0, thinking('x')), stop(0), messageDelta, messageStop], /without a signature_delta/],
      ['thinking_delta after the signature', [start, blockStart(0, thinkingBlock), delta(0, signature), delta(0, thinking('x')), stop(0), messageDelta, messageStop], /after signature_delta/],
      ['a thinking block without a signature key', [start, blockStart(0, { type: 'thinking', thinking: '' }), delta(0, signature), stop(0), messageDelta, messageStop], /without a signature key/],
      ['a tool_use id outside the pattern', [start, blockStart(0, { ...toolBlock, id: 'functions.Bash:0' }), stop(0), messageDelta, messageStop], /does not match/],
      ['tool input fragments that are not JSON', [start, blockStart(0, toolBlock), delta(0, json('{"a":')), stop(0), messageDelta, messageStop], /do not form valid JSON/],
      ['tool input that is not an object', [start, blockStart(0, toolBlock), delta(0, json('[1]')), stop(0), messageDelta, messageStop], /not a JSON object/],
      ['a stop for another index', [start, blockStart(0, textBlock), stop(1), messageDelta, messageStop], /stop for index 1/],
      ['a block never stopped', [start, blockStart(0, textBlock), messageDelta, messageStop], /while block 0 is open/],
      ['message_delta without output_tokens', [start, { ...messageDelta, usage: {} }, messageStop], /numeric usage.output_tokens/],
      ['message_delta with a string output_tokens', [start, { ...messageDelta, usage: { output_tokens: '3' } }, messageStop], /numeric usage.output_tokens/],
      ['message_delta without stop_reason', [start, { ...messageDelta, delta: { stop_reason: null } }, messageStop], /delta.stop_reason/],
      ['message_stop without message_delta', [start, messageStop], /without a preceding message_delta/],
      ['no message_stop', [start, blockStart(0, textBlock), stop(0), messageDelta], /no message_stop/],
      ['an open block at the end', [start, blockStart(0, textBlock)], /never stopped/],
      ['an event after message_stop', [start, messageDelta, messageStop, ping], /after message_stop/],
      ['a block after message_delta', [start, messageDelta, blockStart(0, textBlock), stop(0), messageStop], /after message_delta/],
      ['an event after error', [start, error, messageDelta, messageStop], /after error/],
      ['an unknown event type', [start, { type: 'mystery' }, messageDelta, messageStop], /unknown event type/],
    ])('%s', (_name, events, message) => {
      expect(() => check(events)).toThrow(message);
    });
  });

  it('names the offending event in the message', () => {
    expect(() => check([start, blockStart(0, textBlock), delta(0, thinking('x'))])).toThrow(
      'Anthropic stream grammar: event #2 (content_block_delta index 0): thinking_delta in a text block',
    );
  });
});

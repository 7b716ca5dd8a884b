import { formatSse, formatSseJson } from './format-sse';
import { parseSse, type SseMessage } from './parse-sse';

async function roundTrip(text: string): Promise<SseMessage[]> {
  async function* one(): AsyncGenerator<Uint8Array> {
    yield new TextEncoder().encode(text);
  }
  const out: SseMessage[] = [];
  for await (const message of parseSse(one())) out.push(message);
  return out;
}

describe('formatSse', () => {
  it('writes exactly `event:`, `data:` and a blank line (the bytes llama-server and Anthropic send)', () => {
    expect(formatSse('message_stop', '{"type":"message_stop"}')).toBe('event: message_stop\ndata: {"type":"message_stop"}\n\n');
  });

  it('writes an empty data line for empty data, so the event is still dispatched', async () => {
    expect(formatSse('ping', '')).toBe('event: ping\ndata: \n\n');
    expect(await roundTrip(formatSse('ping', ''))).toEqual([{ event: 'ping', data: '' }]);
  });

  it('splits multi-line data into one data line per line, which a parser joins back with LF', async () => {
    const frame = formatSse('note', 'one\ntwo\r\nthree\rfour');
    expect(frame).toBe('event: note\ndata: one\ndata: two\ndata: three\ndata: four\n\n');
    expect(await roundTrip(frame)).toEqual([{ event: 'note', data: 'one\ntwo\nthree\nfour' }]);
  });

  it('refuses an event name with a line end (it would inject fields)', () => {
    expect(() => formatSse('a\ndata: injected', '{}')).toThrow(TypeError);
    expect(() => formatSse('a\r', '{}')).toThrow(TypeError);
  });
});

describe('formatSseJson', () => {
  const events = [
    { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'm', usage: { input_tokens: 3, output_tokens: 0 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'line 1\nline 2\r\n\ttab "quoted" \u2028 é 世界 😀' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } },
    { type: 'message_stop' },
    { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
  ] as const;

  it('names each frame after the payload type and writes compact JSON on one data line', () => {
    const frame = formatSseJson(events[3]);
    expect(frame).toBe('event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n');
  });

  it('round-trips every event through parseSse, newlines and non-ASCII text included', async () => {
    const parsed = await roundTrip(events.map((event) => formatSseJson(event)).join(''));
    expect(parsed.map((message) => message.event)).toEqual(events.map((event) => event.type));
    expect(parsed.map((message) => JSON.parse(message.data) as unknown)).toEqual(events);
    // JSON.stringify escapes CR and LF, so no frame needs more than one data line.
    for (const event of events) expect(formatSseJson(event).split('\n')).toHaveLength(4);
  });
});

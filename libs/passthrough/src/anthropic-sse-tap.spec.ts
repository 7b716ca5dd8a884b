import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rechunk } from '@turnout/testing';
import { AnthropicSseTap, MAX_TAPPED_EVENT_BYTES } from './anthropic-sse-tap';

const LLAMA = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'llama-server');
const STREAMS = readdirSync(LLAMA).filter((name) => /^messages-.*\.response\.sse$/.test(name));
const llama = (name: string): Buffer => readFileSync(join(LLAMA, name));

function tapAll(chunks: readonly Uint8Array[]): AnthropicSseTap {
  const tap = new AnthropicSseTap({ now: () => 7 });
  for (const chunk of chunks) tap.push(chunk);
  tap.end();
  return tap;
}
const facts = (tap: AnthropicSseTap) => ({
  usage: tap.usage,
  stopReason: tap.stopReason,
  sawMessageStop: tap.sawMessageStop,
  errorEvent: tap.errorEvent,
  firstContentAt: tap.firstContentAt,
});
const text = (value: string): Buffer => Buffer.from(value, 'utf8');
const crlf = (bytes: Buffer): Buffer => text(bytes.toString('utf8').replace(/\n/g, '\r\n'));
const cr = (bytes: Buffer): Buffer => text(bytes.toString('utf8').replace(/\n/g, '\r'));

describe('AnthropicSseTap on real llama-server streams', () => {
  it('reads usage, stop reason and message_stop from the plain text stream', () => {
    expect(facts(tapAll([llama('messages-stream.response.sse')]))).toEqual({
      usage: { inputTokens: 8, outputTokens: 4, cacheReadInputTokens: 3, cacheCreationInputTokens: 0, reported: true },
      stopReason: 'max_tokens',
      sawMessageStop: true,
      errorEvent: undefined,
      firstContentAt: 7,
    });
  });

  it('reports stop_sequence for llama-server\'s end_turn with a matched stop sequence', () => {
    const tap = tapAll([llama('messages-stop-sequence-stream.response.sse')]);
    expect(tap.stopReason).toBe('stop_sequence');
    expect(tap.sawMessageStop).toBe(true);
  });

  it('reads llama-server\'s bare mid-stream error object and sees no message_stop', () => {
    const tap = tapAll([llama('messages-error-midstream.response.sse')]);
    expect(tap.errorEvent).toEqual({ type: 'server_error', message: 'The model produced output that does not match the expected peg-native format' });
    expect(tap.sawMessageStop).toBe(false);
    expect(tap.stopReason).toBeNull();
    expect(tap.usage).toEqual({ inputTokens: 1, outputTokens: 0, cacheReadInputTokens: 12, cacheCreationInputTokens: 0, reported: true });
  });

  describe.each(STREAMS)('%s', (name) => {
    const bytes = llama(name);
    const whole = facts(tapAll([bytes]));

    it('is read at all', () => {
      expect(whole.sawMessageStop || whole.errorEvent !== undefined).toBe(true);
      expect(whole.usage?.reported).toBe(true);
    });

    it('gives the same facts for every single split point', () => {
      for (let at = 0; at <= bytes.length; at++) {
        expect(facts(tapAll([bytes.subarray(0, at), bytes.subarray(at)]))).toEqual(whole);
      }
    });

    it('gives the same facts for seeded random multi-splits, also with CRLF and CR line ends', () => {
      for (const variant of [bytes, crlf(bytes), cr(bytes)]) {
        expect(facts(tapAll([variant]))).toEqual(whole);
        for (let seed = 1; seed <= 40; seed++) {
          expect(facts(tapAll(rechunk(variant, seed, { maxChunkSize: 1 + (seed % 9) * 7 })))).toEqual(whole);
        }
      }
    });

    it('gives the same facts fed one byte at a time', () => {
      const bytesOneByOne = Array.from({ length: bytes.length }, (_, at) => bytes.subarray(at, at + 1));
      expect(facts(tapAll(bytesOneByOne))).toEqual(whole);
    });
  });
});

describe('AnthropicSseTap semantics', () => {
  const event = (name: string, data: unknown): string => `event: ${name}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
  const start = (usage: unknown) => event('message_start', { type: 'message_start', message: { id: 'msg_1', content: [], usage } });
  const delta = (delta: unknown, usage: unknown) => event('message_delta', { type: 'message_delta', delta, usage });

  it('takes input and cache counts from message_start, overridden field by field by message_delta', () => {
    const tap = tapAll([
      text(
        start({ input_tokens: 10, cache_read_input_tokens: 100, cache_creation_input_tokens: 5, output_tokens: 1 }) +
          event('ping', { type: 'ping' }) +
          delta({ stop_reason: 'tool_use', stop_sequence: null }, { output_tokens: 41, input_tokens: 812, cache_creation_input_tokens: null }) +
          event('message_stop', { type: 'message_stop' }),
      ),
    ]);
    expect(tap.usage).toEqual({ inputTokens: 812, outputTokens: 41, cacheReadInputTokens: 100, cacheCreationInputTokens: 5, reported: true });
    expect(tap.stopReason).toBe('tool_use');
    expect(tap.sawMessageStop).toBe(true);
    expect(tap.firstContentAt).toBeUndefined();
  });

  it('uses the last of several cumulative message_delta events', () => {
    const tap = tapAll([text(start({ input_tokens: 3 }) + delta({ stop_reason: null }, { output_tokens: 2 }) + delta({ stop_reason: 'end_turn' }, { output_tokens: 9 }))]);
    expect(tap.usage?.outputTokens).toBe(9);
    expect(tap.stopReason).toBe('end_turn');
  });

  it('has no usage or stop reason before any is seen', () => {
    const tap = new AnthropicSseTap();
    expect(facts(tap)).toEqual({ usage: undefined, stopReason: null, sawMessageStop: false, errorEvent: undefined, firstContentAt: undefined });
  });

  it('records the first content_block_delta time once, with the real clock by default', () => {
    let clock = 100;
    const tap = new AnthropicSseTap({ now: () => clock++ });
    tap.push(text(start({}) + event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })));
    expect(tap.firstContentAt).toBeUndefined();
    tap.push(text(event('content_block_delta', 'not even json') + event('content_block_delta', {})));
    expect(tap.firstContentAt).toBe(100);

    const real = new AnthropicSseTap();
    const before = performance.now();
    real.push(text(event('content_block_delta', {})));
    expect(real.firstContentAt).toBeGreaterThanOrEqual(before);
  });

  it('reads the Anthropic error envelope', () => {
    const tap = tapAll([text(start({}) + event('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' }))]);
    expect(tap.errorEvent).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
  });

  it('still records an error event it cannot read, and keeps the first error', () => {
    expect(tapAll([text(event('error', '<html>oops'))]).errorEvent).toEqual({ type: 'api_error', message: '<html>oops' });
    const tap = tapAll([text(event('error', { message: 'first' }) + event('error', { type: 'error', error: { type: 'api_error', message: 'second' } }))]);
    expect(tap.errorEvent).toEqual({ type: 'api_error', message: 'first' });
  });

  it('ignores malformed events and garbage without throwing', () => {
    const garbage = [
      'event: message_start\ndata: {not json\n\n',
      'event: message_delta\ndata: [1,2]\n\n',
      'event: message_delta\ndata: {"usage":"x","delta":7}\n\n',
      'data: {"type":"message_stop"}\n\n', // no event name: the SDK ignores data-only events too
      ': a comment\n\nid: 1\nretry: 5\n\n',
      '\u0000\u00ff\ufffd random bytes\n',
      'event: message_stop\n\n', // no data line: not dispatched
    ].join('');
    const tap = tapAll([text(garbage), Uint8Array.of(0xff, 0xfe, 0x0d, 0x0a, 0x0a)]);
    expect(facts(tap)).toEqual({ usage: undefined, stopReason: null, sawMessageStop: false, errorEvent: undefined, firstContentAt: undefined });
  });

  it('drops an unterminated last event, as the SDK does', () => {
    expect(tapAll([text('event: message_stop\ndata: {"type":"message_stop"}\n')]).sawMessageStop).toBe(false);
    expect(tapAll([text('event: message_stop\ndata: {"type":"message_stop"}\n\n')]).sawMessageStop).toBe(true);
  });

  it('accepts a BOM, fields without a space after the colon, and data before the event line', () => {
    const tap = tapAll([text('\ufeffevent:message_delta\ndata:{"delta":{"stop_reason":"end_turn"},\ndata:"usage":{"output_tokens":3}}\n\ndata: {}\nevent: message_stop\n\n')]);
    expect(tap.stopReason).toBe('end_turn');
    expect(tap.usage?.outputTokens).toBe(3);
    expect(tap.sawMessageStop).toBe(true);
  });

  it('reads UTF-8 split inside a multi-byte character', () => {
    const bytes = text(event('error', { type: 'error', error: { type: 'api_error', message: 'Grüße 🎉 日本' } }));
    for (let at = 0; at <= bytes.length; at++) {
      expect(tapAll([bytes.subarray(0, at), bytes.subarray(at)]).errorEvent?.message).toBe('Grüße 🎉 日本');
    }
  });

  it('skips an event over the size cap without buffering it, and carries on', () => {
    const tap = new AnthropicSseTap();
    const padding = 'x'.repeat(64 * 1024);
    tap.push(text('event: message_start\ndata: {"message":{"usage":{"input_tokens":5},"pad":"'));
    for (let sent = 0; sent <= MAX_TAPPED_EVENT_BYTES; sent += padding.length) tap.push(text(padding));
    tap.push(text('"}}\n\n'));
    expect(tap.usage).toBeUndefined();
    tap.push(text(delta({ stop_reason: 'end_turn' }, { output_tokens: 2 }) + event('message_stop', {})));
    expect(tap.usage?.outputTokens).toBe(2);
    expect(tap.stopReason).toBe('end_turn');
    expect(tap.sawMessageStop).toBe(true);
  });

  it('does not buffer content_block_delta data at all, however large', () => {
    const tap = new AnthropicSseTap({ now: () => 1 });
    tap.push(text('event: content_block_delta\ndata: {"delta":{"text":"'));
    for (let i = 0; i < 40; i++) tap.push(text('y'.repeat(64 * 1024)));
    tap.push(text('"}}\n\n'));
    expect(tap.firstContentAt).toBe(1);
  });

  it('counts an oversized error event as an error', () => {
    const tap = tapAll([text(`event: error\ndata: {"message":"${'z'.repeat(MAX_TAPPED_EVENT_BYTES)}"}\n\n`)]);
    expect(tap.errorEvent?.type).toBe('api_error');
  });

  it('ignores pushes after end', () => {
    const tap = new AnthropicSseTap();
    tap.end();
    tap.push(text(event('message_stop', {})));
    expect(tap.sawMessageStop).toBe(false);
  });
});

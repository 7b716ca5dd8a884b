import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readUnaryUsage } from './read-unary-usage';

const llama = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'llama-server', name), 'utf8'));

describe('readUnaryUsage', () => {
  it('reads usage and stop reason from a real llama-server Message', () => {
    expect(readUnaryUsage(llama('messages-basic.response.json'))).toEqual({
      usage: { inputTokens: 1, outputTokens: 16, cacheReadInputTokens: 20, cacheCreationInputTokens: 0, reported: true },
      stopReason: 'max_tokens',
    });
  });

  it('reports stop_sequence when llama-server says end_turn with a matched stop sequence', () => {
    const message = llama('messages-stop-sequence.response.json') as { stop_reason: string; stop_sequence: string | null };
    expect(message.stop_reason).toBe('end_turn');
    expect(message.stop_sequence).not.toBeNull();
    expect(readUnaryUsage(message).stopReason).toBe('stop_sequence');
  });

  it('keeps end_turn when no stop sequence matched, and other reasons as they are', () => {
    expect(readUnaryUsage({ stop_reason: 'end_turn', stop_sequence: null }).stopReason).toBe('end_turn');
    expect(readUnaryUsage({ stop_reason: 'tool_use', stop_sequence: null }).stopReason).toBe('tool_use');
    expect(readUnaryUsage({ stop_reason: 'max_tokens', stop_sequence: 'x' }).stopReason).toBe('max_tokens');
  });

  it('reads all four Anthropic counters', () => {
    const usage = { input_tokens: 812, output_tokens: 41, cache_read_input_tokens: 14020, cache_creation_input_tokens: 7 };
    expect(readUnaryUsage({ usage, stop_reason: 'end_turn' }).usage).toEqual({
      inputTokens: 812,
      outputTokens: 41,
      cacheReadInputTokens: 14020,
      cacheCreationInputTokens: 7,
      reported: true,
    });
  });

  it('says nothing for bodies without usage, and never throws on odd JSON', () => {
    expect(readUnaryUsage({ stop_reason: null })).toEqual({ usage: undefined, stopReason: null });
    for (const value of [null, 'x', 42, [], { usage: 'x', stop_reason: 7 }]) {
      expect(readUnaryUsage(value)).toEqual({ usage: undefined, stopReason: null });
    }
    expect(readUnaryUsage({ usage: { input_tokens: 'many', output_tokens: -1 } }).usage).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      reported: true,
    });
  });
});

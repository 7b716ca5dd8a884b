import { DEFAULT_DIALECT } from '@turnout/protocol';
import { bucket, mapThinking } from '../../src/anthropic-openai-chat/thinking-mapping';

describe('bucket', () => {
  it.each([
    [0, 'minimal'],
    [1023, 'minimal'],
    [1024, 'low'],
    [2047, 'low'],
    [2048, 'medium'],
    [4095, 'medium'],
    [4096, 'high'],
    [31999, 'high'],
  ])('budget %i → %s', (budget, effort) => {
    expect(bucket(budget)).toBe(effort);
  });
});

describe('mapThinking', () => {
  it.each([
    ['low', 'low'],
    ['medium', 'medium'],
    ['high', 'high'],
    ['xhigh', 'high'],
    ['max', 'high'],
  ])('adaptive with effort %s → reasoning_effort %s', (effort, expected) => {
    expect(mapThinking({ type: 'adaptive' }, { effort }, DEFAULT_DIALECT, false)).toStrictEqual({
      reasoning_effort: expected,
      chat_template_kwargs: { enable_thinking: true },
    });
  });

  it('ignores an unknown effort and an unknown thinking type', () => {
    expect(mapThinking({ type: 'adaptive' }, { effort: 'extreme' }, DEFAULT_DIALECT, false)).toStrictEqual({
      chat_template_kwargs: { enable_thinking: true },
    });
    expect(mapThinking({ type: 'future_mode' }, undefined, DEFAULT_DIALECT, false)).toStrictEqual({});
  });

  it('uses effort when enabled thinking has no budget', () => {
    expect(mapThinking({ type: 'enabled' }, { effort: 'low' }, DEFAULT_DIALECT, false)).toStrictEqual({
      reasoning_effort: 'low',
      chat_template_kwargs: { enable_thinking: true },
    });
  });

  it('turns thinking off for a prefill, whatever was asked', () => {
    const off = { reasoning_effort: 'none', chat_template_kwargs: { enable_thinking: false } };
    expect(mapThinking({ type: 'adaptive' }, { effort: 'high' }, DEFAULT_DIALECT, true)).toStrictEqual(off);
    expect(mapThinking(undefined, undefined, DEFAULT_DIALECT, true)).toStrictEqual(off);
  });
});

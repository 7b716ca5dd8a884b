import { DEFAULT_DIALECT, type AnthropicRequest } from '@turnout/protocol';
import { sequentialIds } from '@turnout/testing';
import { MAX_VERBOSE_PROMPT_CHARS, toOpenAiChatRequest } from '../../src/anthropic-openai-chat/request';
import { matchedStopOf, toAnthropicStop } from '../../src/anthropic-openai-chat/response-stop-reason';
import type { TranslateContext } from '../../src/translator';

const llama = { ...DEFAULT_DIALECT, acceptsVerbose: true };
const context = (dialect = llama): TranslateContext => ({ requestId: 'r', requestedModel: 'm', upstreamModel: 'u', dialect, newId: sequentialIds() });
const request = (content: string, stop?: string[]) =>
  ({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content }], ...(stop ? { stop_sequences: stop } : {}) }) as unknown as AnthropicRequest;

describe('which stop sequence matched (llama.cpp verbose)', () => {
  it('asks verbose only with stop sequences, only where the dialect takes it, and only for a conversation whose echo stays small', () => {
    expect(toOpenAiChatRequest(request('hi', ['e', 'q']), context()).body.verbose).toBe(true);
    expect(toOpenAiChatRequest(request('hi'), context()).body).not.toHaveProperty('verbose');
    expect(toOpenAiChatRequest(request('hi', ['e']), context(DEFAULT_DIALECT)).body).not.toHaveProperty('verbose');
    // The answer's __verbose echoes the rendered prompt: a huge one is not worth a stop string's name.
    expect(toOpenAiChatRequest(request('x'.repeat(MAX_VERBOSE_PROMPT_CHARS), ['e']), context()).body).not.toHaveProperty('verbose');
  });

  it('reads vLLM stop_reason first, then llama.cpp __verbose: the word, null for another stop type, undefined when silent', () => {
    expect(matchedStopOf({ stop_reason: '###' }, { __verbose: { stop_type: 'word', stopping_word: 'e' } })).toBe('###');
    expect(matchedStopOf({ stop_reason: null }, {})).toBeNull();
    expect(matchedStopOf({}, { __verbose: { stop_type: 'word', stopping_word: 'e' } })).toBe('e');
    expect(matchedStopOf({}, { __verbose: { stop_type: 'eos', stopping_word: '' } })).toBeNull();
    expect(matchedStopOf({}, { __verbose: 'odd' })).toBeUndefined();
    expect(matchedStopOf({}, {})).toBeUndefined();
  });

  it('names a single stop sequence only when the upstream said nothing at all', () => {
    const stopFacts = (matchedStop: unknown) => ({ finishReason: 'stop', matchedStop, hasToolUse: false, refused: false });
    expect(toAnthropicStop(stopFacts(undefined), ['e'])).toEqual({ stopReason: 'stop_sequence', stopSequence: 'e' });
    expect(toAnthropicStop(stopFacts(null), ['e'])).toEqual({ stopReason: 'end_turn', stopSequence: null });
    expect(toAnthropicStop(stopFacts(undefined), ['e', 'q'])).toEqual({ stopReason: 'end_turn', stopSequence: null });
    expect(toAnthropicStop(stopFacts('q'), ['e', 'q'])).toEqual({ stopReason: 'stop_sequence', stopSequence: 'q' });
  });
});

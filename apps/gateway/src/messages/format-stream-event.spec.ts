import { DEFAULT_DIALECT, type AnthropicRequest, type AnthropicStreamEvent } from '@turnout/protocol';
import { formatSseJson } from '@turnout/sse';
import { sequentialIds } from '@turnout/testing';
import { anthropicToOllamaChat, anthropicToOpenAiChat, type TranslateContext } from '@turnout/translate';
import { formatStreamEvent } from './format-stream-event';

const TEXTS = ['', 'tok ', 'a "quoted" \\ back\nslash\t\r', '\u0000\u001f\u2028\u2029', 'wörld 😀', '\ud800 lone', '</script>'];

const context = (): TranslateContext => ({ requestId: 'req_1', requestedModel: 'claude-haiku-4-5', upstreamModel: 'qwen3', dialect: DEFAULT_DIALECT, newId: sequentialIds() });
const request = { model: 'claude-haiku-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] } as AnthropicRequest;

/** Every event the two translators emit for a short stream of the texts above, thinking included. */
function translatedEvents(): AnthropicStreamEvent[] {
  const openAi = anthropicToOpenAiChat.begin(request, context()).createStream();
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ kind: 'chunk' as const, chunk: { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'qwen3', choices: [{ index: 0, delta, finish_reason: finish }] } as never });
  const events = [
    ...openAi.push(chunk({ role: 'assistant', reasoning_content: 'think' })),
    ...TEXTS.flatMap((content) => [...openAi.push(chunk({ content }))]),
    ...openAi.push(chunk({}, 'stop')),
    ...openAi.push({ kind: 'done' }),
    ...openAi.end(),
  ];
  const ollama = anthropicToOllamaChat.begin(request, context()).createStream();
  const line = (content: string, done = false) => ({ model: 'qwen3', created_at: '2026-08-01T10:00:00Z', message: { role: 'assistant', content }, done, ...(done ? { done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 } : {}) }) as never;
  events.push(...TEXTS.flatMap((text) => [...ollama.push(line(text))]), ...ollama.push(line('', true)), ...ollama.end());
  return events;
}

describe('formatStreamEvent', () => {
  it('writes every event the translators emit byte for byte as formatSseJson does', () => {
    const events = translatedEvents();
    const textDeltas = events.filter((event) => event.type === 'content_block_delta' && event.delta.type === 'text_delta');
    expect(textDeltas.length).toBeGreaterThanOrEqual(2 * (TEXTS.length - 1));
    for (const event of events) expect(formatStreamEvent(event)).toBe(formatSseJson(event));
  });

  it('agrees on text and thinking deltas at any index with any text', () => {
    for (const [index, text] of TEXTS.entries()) {
      const event: AnthropicStreamEvent = { type: 'content_block_delta', index: index * 7, delta: { type: 'text_delta', text } };
      expect(formatStreamEvent(event)).toBe(formatSseJson(event));
      const thinking: AnthropicStreamEvent = { type: 'content_block_delta', index: index * 7, delta: { type: 'thinking_delta', thinking: text } };
      expect(formatStreamEvent(thinking)).toBe(formatSseJson(thinking));
    }
  });

  it('quotes every single UTF-16 code unit as JSON.stringify does', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const text = `a${String.fromCharCode(code)}b`;
      const event: AnthropicStreamEvent = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } };
      expect(formatStreamEvent(event)).toBe(formatSseJson(event));
    }
    const pair: AnthropicStreamEvent = { type: 'content_block_delta', index: 3, delta: { type: 'thinking_delta', thinking: '😀\ud83d' } };
    expect(formatStreamEvent(pair)).toBe(formatSseJson(pair));
  });
});

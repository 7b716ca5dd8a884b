import { estimateInputTokens } from './token-estimate';

describe('estimateInputTokens', () => {
  it('counts about four characters per token over system and message text', () => {
    expect(estimateInputTokens({ system: 'x'.repeat(40), messages: [{ role: 'user', content: 'y'.repeat(40) }] })).toBe(20);
  });

  it('walks blocks: text, tool results, tool inputs and thinking; images cost a flat amount', () => {
    const tokens = estimateInputTokens({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'abcd' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'z'.repeat(10_000) } }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'abcd', signature: 'ignored-signature' }, { type: 'tool_use', id: 't', name: 'Bash', input: { c: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'abcd' }] }] },
      ],
    });
    // 4 + 4 + ("Bash" 4 + '{"c":1}' 7) + 4 = 23 chars → 6 tokens, plus one image.
    expect(tokens).toBe(6 + 1_600);
  });

  it('counts tool definitions', () => {
    const withTools = estimateInputTokens({ messages: [], tools: [{ name: 'Bash', input_schema: { type: 'object' } }] });
    expect(withTools).toBe(Math.ceil(JSON.stringify([{ name: 'Bash', input_schema: { type: 'object' } }]).length / 4));
  });

  it('is zero for an empty request', () => {
    expect(estimateInputTokens({ messages: [] })).toBe(0);
  });
});

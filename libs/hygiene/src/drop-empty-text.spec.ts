import { applyHygiene, type HygieneRules } from '@turnout/hygiene';
import { CLAUDE_CODE_FIXTURES, claudeCodeRequest, only, request } from '../test/hygiene-test-support';

// drop-empty-text has no switch of its own: it is part of what the Anthropic target needs.
const rules: HygieneRules = only({ dropForeignThinking: true });
const text = (value: string) => ({ type: 'text' as const, text: value });
const toolUse = { type: 'tool_use' as const, id: 'toolu_1', name: 'Bash', input: {} };

describe('drop-empty-text', () => {
  it.each(CLAUDE_CODE_FIXTURES)('finds nothing to drop in %s', (name) => {
    const body = claudeCodeRequest(name);
    expect(applyHygiene(body, rules).request).toBe(body);
  });

  it('removes empty and whitespace-only text blocks left by other servers', () => {
    const body = request({
      messages: [
        { role: 'user', content: [text('q'), text(' \n')] },
        { role: 'assistant', content: [text(''), toolUse] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [text('')] }] },
      ],
    });
    const { request: cleaned, rewrites } = applyHygiene(body, rules);
    expect(rewrites).toEqual(['drop-empty-text']);
    expect(cleaned.messages).toEqual([
      { role: 'user', content: [text('q')] },
      { role: 'assistant', content: [toolUse] },
      body.messages[2], // tool-result content is the client's own
    ]);
    expect(cleaned.messages[2]).toBe(body.messages[2]);
  });

  it('removes a turn left with nothing', () => {
    const body = request({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: [text('  ')] },
        { role: 'user', content: 'again' },
        { role: 'assistant', content: '' },
      ],
    });
    expect(applyHygiene(body, rules).request.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'user', content: 'again' },
    ]);
  });

  it('reports both Anthropic rewrites when both changed something, thinking first', () => {
    const body = request({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: '' }, text(''), text('answer')] },
        { role: 'user', content: 'next' },
      ],
    });
    const { request: cleaned, rewrites } = applyHygiene(body, rules);
    expect(rewrites).toEqual(['drop-foreign-thinking', 'drop-empty-text']);
    expect(cleaned.messages[1]).toEqual({ role: 'assistant', content: [text('answer')] });
  });

  it('is off unless the Anthropic rules are on', () => {
    const body = request({ messages: [{ role: 'user', content: [text('q'), text('')] }] });
    expect(applyHygiene(body, only({ foldSystemMessages: true, dropCacheControl: true })).request).toBe(body);
  });
});

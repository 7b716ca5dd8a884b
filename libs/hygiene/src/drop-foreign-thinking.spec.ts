import { applyHygiene, isAnthropicSignature, type HygieneRules } from '@turnout/hygiene';
import type { AnthropicRequest, ContentBlockParam } from '@turnout/protocol';
import { ANTHROPIC_LIKE_SIGNATURE, claudeCodeRequest, deepFreeze, only, request } from '../test/hygiene-test-support';

const rules: HygieneRules = only({ dropForeignThinking: true });
const text = (value: string) => ({ type: 'text' as const, text: value });
const thinking = (signature: string) => ({ type: 'thinking' as const, thinking: 'hmm', signature });
const redacted = { type: 'redacted_thinking' as const, data: 'opaque-data' };
const toolUse = { type: 'tool_use' as const, id: 'toolu_1', name: 'Bash', input: {} };
const toolResult = { type: 'tool_result' as const, tool_use_id: 'toolu_1', content: 'ok' };

/** A Claude Code tool turn whose thinking carried `signature` (fixture c with one field changed). */
function fixtureCWithSignature(signature: string | undefined): AnthropicRequest {
  const body = JSON.parse(JSON.stringify(claudeCodeRequest('c-thinking-tool-turn'))) as AnthropicRequest;
  const block = body.messages[2].content[0] as { signature?: string };
  if (signature === undefined) delete block.signature;
  else block.signature = signature;
  return deepFreeze(body);
}

describe('isAnthropicSignature', () => {
  it('accepts long standard base64, including the echoed fixture signature', () => {
    expect(isAnthropicSignature(ANTHROPIC_LIKE_SIGNATURE)).toBe(true);
    const fixture = claudeCodeRequest('c-thinking-tool-turn').messages[2].content[0] as { signature: string };
    expect(isAnthropicSignature(fixture.signature)).toBe(true);
  });

  it.each([
    ['empty (what the gateway and llama.cpp send)', ''],
    ['missing', undefined],
    ['short', 'c2lnbmF0dXJl'],
    ['long but not base64', `sig_${'x'.repeat(200)}-${'y'.repeat(10)}`],
    ['base64 with inner padding', `${'A'.repeat(100)}==${'A'.repeat(10)}`],
    ['not a string', 12345],
  ])('rejects %s', (_label, signature) => {
    expect(isAnthropicSignature(signature)).toBe(false);
  });
});

describe('drop-foreign-thinking', () => {
  it('keeps Anthropic-signed thinking: the fixture comes back unchanged', () => {
    const body = claudeCodeRequest('c-thinking-tool-turn');
    expect(applyHygiene(body, rules)).toEqual({ request: body, rewrites: [] });
    expect(applyHygiene(body, rules).request).toBe(body);
  });

  it.each([
    ['an empty', ''],
    ['no', undefined],
  ])('removes thinking with %s signature, and the thinking setting it would break', (_label, signature) => {
    const body = fixtureCWithSignature(signature);
    const assistant = body.messages[2].content as ContentBlockParam[];
    const { request: cleaned, rewrites } = applyHygiene(body, rules);
    expect(rewrites).toEqual(['drop-foreign-thinking']);
    expect(cleaned.messages[2]).toEqual({ role: 'assistant', content: [assistant[1], assistant[2]] });
    expect((cleaned.messages[2].content as unknown[])[0]).toBe(assistant[1]);
    expect(Object.hasOwn(cleaned, 'thinking')).toBe(false);
    expect(cleaned.messages[3]).toBe(body.messages[3]);
  });

  it('keeps the thinking setting when the final assistant turn still opens with Anthropic thinking', () => {
    const anthropicThinking = thinking(ANTHROPIC_LIKE_SIGNATURE);
    const body = request({
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: [thinking(''), text('a1')] },
        { role: 'user', content: 'q2' },
        { role: 'assistant', content: [anthropicThinking, redacted, toolUse] },
        { role: 'user', content: [toolResult] },
      ],
    });
    const { request: cleaned, rewrites } = applyHygiene(body, rules);
    expect(rewrites).toEqual(['drop-foreign-thinking']);
    expect(cleaned.thinking).toBe(body.thinking);
    expect(cleaned.messages[1]).toEqual({ role: 'assistant', content: [text('a1')] });
    // Anthropic's own blocks travel as the very same objects, so their bytes cannot change.
    expect(cleaned.messages[3]).toBe(body.messages[3]);
  });

  it('keeps redacted_thinking, which only Anthropic produces', () => {
    const body = request({
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: [redacted, thinking('short'), toolUse] },
        { role: 'user', content: [toolResult] },
      ],
    });
    const { request: cleaned } = applyHygiene(body, rules);
    expect(cleaned.messages[1].content).toEqual([redacted, toolUse]);
    expect(cleaned.thinking).toBe(body.thinking);
  });

  it('leaves the thinking setting alone when thinking is disabled or absent', () => {
    for (const setting of [{ thinking: { type: 'disabled' as const } }, {}]) {
      const body = request({
        ...setting,
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', content: [thinking(''), toolUse] },
          { role: 'user', content: [toolResult] },
        ],
      });
      const { request: cleaned } = applyHygiene(body, rules);
      expect(cleaned.thinking).toEqual(body.thinking);
      expect(cleaned.messages[1].content).toEqual([toolUse]);
    }
  });

  it('removes an assistant turn that held nothing but foreign thinking', () => {
    const body = request({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: [thinking('')] },
        { role: 'user', content: 'again' },
      ],
    });
    expect(applyHygiene(body, rules).request.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'user', content: 'again' },
    ]);
  });

  it('never touches thinking in user turns or string content', () => {
    const body = request({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'plain' }] });
    expect(applyHygiene(body, rules).request).toBe(body);
  });
});

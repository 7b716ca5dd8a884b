import { applyHygiene, type HygieneRules } from '@turnout/hygiene';
import type { AnthropicRequest, MessageParam } from '@turnout/protocol';
import { claudeCodeRequest, only, request } from '../test/hygiene-test-support';

const rules: HygieneRules = only({ foldSystemMessages: true });
const fold = (body: AnthropicRequest): AnthropicRequest => {
  const result = applyHygiene(body, rules);
  expect(result.rewrites).toEqual(['fold-system-messages']);
  return result.request;
};
const text = (value: string) => ({ type: 'text' as const, text: value });
const toolUse = { type: 'tool_use' as const, id: 'toolu_1', name: 'Bash', input: { command: 'ls' } };
const toolResult = { type: 'tool_result' as const, tool_use_id: 'toolu_1', content: 'a.txt' };

describe('fold-system-messages on Claude Code requests', () => {
  it('appends the first-turn environment entry to the user turn before it, blocks and cache marker included', () => {
    const body = claudeCodeRequest('a-first-turn-hello');
    const [user, entry] = body.messages as [Extract<MessageParam, { role: 'user' }>, Extract<MessageParam, { role: 'system' }>];
    const cleaned = fold(body);
    expect(cleaned.messages).toHaveLength(1);
    expect(cleaned.messages[0]).toEqual({ role: 'user', content: [...(user.content as unknown[]), ...(entry.content as unknown[])] });
    expect((cleaned.messages[0].content as unknown[])[2]).toBe((entry.content as unknown[])[0]);
    expect(cleaned.system).toBe(body.system);
    // The entry's own output_config goes with it; the request's stays.
    expect(JSON.stringify(cleaned.messages)).not.toContain('output_config');
    expect(cleaned.output_config).toBe(body.output_config);
  });

  it('keeps the tool turn pair untouched on the second turn', () => {
    const body = claudeCodeRequest('b-tool-result-turn');
    const entry = body.messages[1] as { content: string };
    const cleaned = fold(body);
    expect(cleaned.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(cleaned.messages[0].content).toEqual([...(body.messages[0].content as unknown[]), text(entry.content)]);
    expect(cleaned.messages[1]).toBe(body.messages[2]);
    expect(cleaned.messages[2]).toBe(body.messages[3]);
  });

  it('folds the string entry of the haiku request after the cached user block', () => {
    const cleaned = fold(claudeCodeRequest('d-haiku-no-experimental-betas'));
    expect(cleaned.messages).toHaveLength(1);
    expect((cleaned.messages[0].content as { type: string }[]).map((block) => block.type)).toEqual(['text', 'text', 'text']);
  });
});

describe('fold-system-messages placement (docs/protocol.md §7.3 step 2)', () => {
  it('joins a leading run to a block system prompt', () => {
    const body = request({
      system: [text('base')],
      messages: [
        { role: 'system', content: 'one' },
        { role: 'system', content: [text('two')] },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(fold(body)).toEqual({ ...body, system: [text('base'), text('one'), text('two')], messages: [{ role: 'user', content: 'hi' }] });
  });

  it('joins a leading run to a string system prompt as a string', () => {
    const body = request({ system: 'base', messages: [{ role: 'system', content: 'one' }, { role: 'user', content: 'hi' }] });
    expect(fold(body).system).toBe('base\n\none');
  });

  it('creates the system prompt from a leading run when there was none, and drops an empty one', () => {
    const created = request({ messages: [{ role: 'system', content: 'one' }, { role: 'user', content: 'hi' }] });
    expect(fold(created).system).toEqual([text('one')]);
    const empty = request({ messages: [{ role: 'system', content: '' }, { role: 'user', content: 'hi' }] });
    const cleaned = fold(empty);
    expect(Object.hasOwn(cleaned, 'system')).toBe(false);
    expect(cleaned.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('puts an entry after an assistant turn at the front of the next user turn', () => {
    const body = request({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'system', content: 'be terse' },
        { role: 'user', content: 'next' },
      ],
    });
    expect(fold(body).messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: [text('be terse'), text('next')] },
    ]);
  });

  it('never puts an entry between a tool_use and its results: it goes after them', () => {
    const body = request({
      messages: [
        { role: 'user', content: 'list' },
        { role: 'assistant', content: [toolUse] },
        { role: 'system', content: 'reminder' },
        { role: 'user', content: [toolResult, text('and then?')] },
      ],
    });
    expect(fold(body).messages[2]).toEqual({ role: 'user', content: [toolResult, text('reminder'), text('and then?')] });
  });

  it('appends to the last tool result instead of opening a user turn after tool results', () => {
    const between = request({
      messages: [
        { role: 'user', content: 'list' },
        { role: 'assistant', content: [toolUse] },
        { role: 'system', content: 'reminder' },
        { role: 'user', content: [toolResult] },
      ],
    });
    const expected = { role: 'user', content: [{ ...toolResult, content: [text('a.txt'), text('reminder')] }] };
    expect(fold(between).messages[2]).toEqual(expected);

    const after = request({
      messages: [
        { role: 'user', content: 'list' },
        { role: 'assistant', content: [toolUse] },
        { role: 'user', content: [toolResult] },
        { role: 'system', content: 'reminder' },
      ],
    });
    expect(fold(after).messages).toEqual([{ role: 'user', content: 'list' }, { role: 'assistant', content: [toolUse] }, expected]);
  });

  it('appends to a tool result whose content is blocks or missing', () => {
    const withBlocks = { ...toolResult, content: [text('x')] };
    const withNothing = { type: 'tool_result' as const, tool_use_id: 'toolu_1' };
    for (const [result, content] of [
      [withBlocks, [text('x'), text('r')]],
      [withNothing, [text('r')]],
    ] as const) {
      const body = request({
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: [toolUse] },
          { role: 'user', content: [result] },
          { role: 'system', content: 'r' },
        ],
      });
      expect(fold(body).messages[2]).toEqual({ role: 'user', content: [{ ...result, content }] });
    }
  });

  it('merges the user turns on both sides of an entry so roles keep alternating', () => {
    const body = request({
      messages: [
        { role: 'user', content: 'first' },
        { role: 'system', content: 'env' },
        { role: 'system', content: 'more env' },
        { role: 'user', content: [text('second')] },
        { role: 'assistant', content: 'ok' },
      ],
    });
    expect(fold(body).messages).toEqual([
      { role: 'user', content: [text('first'), text('env'), text('more env'), text('second')] },
      { role: 'assistant', content: 'ok' },
    ]);
  });

  it('turns entries after the last assistant turn into a user turn of their own', () => {
    const trailing = request({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'system', content: 'wrap up' },
      ],
    });
    expect(fold(trailing).messages[2]).toEqual({ role: 'user', content: [text('wrap up')] });

    const betweenAssistants = request({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'a' },
        { role: 'system', content: 's' },
        { role: 'assistant', content: 'b' },
      ],
    });
    expect(fold(betweenAssistants).messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('returns the same request when there is no system entry', () => {
    const body = claudeCodeRequest('e-count-tokens');
    expect(applyHygiene(body, rules)).toEqual({ request: body, rewrites: [] });
    expect(applyHygiene(body, rules).request).toBe(body);
  });
});

import { applyHygiene, MISTRAL_TOOL_ID, mistralToolId, type HygieneRules } from '@turnout/hygiene';
import type { ContentBlockParam } from '@turnout/protocol';
import { claudeCodeRequest, only, request } from '../test/hygiene-test-support';

const rules: HygieneRules = only({ toolIdFormat: 'mistral9' });
const use = (id: string) => ({ type: 'tool_use' as const, id, name: 'Bash', input: { command: 'ls' } });
const result = (id: string) => ({ type: 'tool_result' as const, tool_use_id: id, content: 'ok' });
const blocks = (content: unknown) => content as ContentBlockParam[];

describe('tool-ids-mistral9', () => {
  it('rewrites the Claude Code tool id on both sides of the pair', () => {
    const body = claudeCodeRequest('b-tool-result-turn');
    const { request: cleaned, rewrites } = applyHygiene(body, rules);
    expect(rewrites).toEqual(['tool-ids-mistral9']);
    const toolUse = blocks(cleaned.messages[2].content)[0] as { id: string };
    const toolResult = blocks(cleaned.messages[3].content)[0] as { tool_use_id: string; cache_control: unknown };
    expect(toolUse.id).toMatch(MISTRAL_TOOL_ID);
    expect(toolUse.id).toBe(mistralToolId('toolu_01Hq8ZtV3rXwK5mNc2PbLd7Y'));
    expect(toolResult.tool_use_id).toBe(toolUse.id);
    expect(toolResult.cache_control).toEqual({ type: 'ephemeral' });
    expect(cleaned.messages[0]).toBe(body.messages[0]);
  });

  it('maps the same history the same way on every turn', () => {
    const first = applyHygiene(claudeCodeRequest('b-tool-result-turn'), rules).request;
    const again = applyHygiene(claudeCodeRequest('c-thinking-tool-turn'), rules).request;
    expect(blocks(first.messages[3].content)[0]).toMatchObject({ tool_use_id: (blocks(again.messages[2].content)[2] as { id: string }).id });
  });

  it('gives distinct ids to distinct originals and keeps ids that already fit', () => {
    const body = request({
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [use('call_a'), use('call_b'), use('Ab3dE5gH9')] },
        { role: 'user', content: [result('call_a'), result('call_b'), result('Ab3dE5gH9')] },
      ],
    });
    const { request: cleaned } = applyHygiene(body, rules);
    const ids = blocks(cleaned.messages[1].content).map((block) => (block as { id: string }).id);
    const resultIds = blocks(cleaned.messages[2].content).map((block) => (block as { tool_use_id: string }).tool_use_id);
    expect(ids).toEqual(resultIds);
    expect(new Set(ids).size).toBe(3);
    expect(ids[2]).toBe('Ab3dE5gH9');
    expect(blocks(cleaned.messages[1].content)[2]).toBe(blocks(body.messages[1].content)[2]);
    for (const id of ids) expect(id).toMatch(MISTRAL_TOOL_ID);
  });

  it('steps around an id of the request that its hash would collide with', () => {
    const collidingId = mistralToolId('call_x');
    const body = request({
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [use('call_x'), use(collidingId)] },
        { role: 'user', content: [result('call_x'), result(collidingId)] },
      ],
    });
    const ids = blocks(applyHygiene(body, rules).request.messages[1].content).map((block) => (block as { id: string }).id);
    expect(ids).toEqual([mistralToolId('call_x', 1), collidingId]);
    expect(ids[0]).toMatch(MISTRAL_TOOL_ID);
  });

  it('hashes deterministically into the Mistral alphabet', () => {
    expect(mistralToolId('toolu_1')).toBe(mistralToolId('toolu_1'));
    expect(mistralToolId('toolu_1')).not.toBe(mistralToolId('toolu_2'));
    expect(mistralToolId('toolu_1', 1)).not.toBe(mistralToolId('toolu_1'));
    expect(mistralToolId('functions.Bash:0')).toMatch(MISTRAL_TOOL_ID);
  });

  it('returns the same request without tools or when every id already fits', () => {
    const plain = claudeCodeRequest('a-first-turn-hello');
    expect(applyHygiene(plain, rules).request).toBe(plain);
    const fitting = request({
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [use('abcDEF123')] },
        { role: 'user', content: [result('abcDEF123')] },
      ],
    });
    expect(applyHygiene(fitting, rules)).toEqual({ request: fitting, rewrites: [] });
  });
});

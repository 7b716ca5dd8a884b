import { applyHygiene, type HygieneRules } from '@turnout/hygiene';
import { CLAUDE_CODE_FIXTURES, claudeCodeRequest, only, request } from '../test/hygiene-test-support';

const rules: HygieneRules = only({ dropCacheControl: true });
const ephemeral = { type: 'ephemeral' as const };

describe('drop-cache-control', () => {
  it.each(CLAUDE_CODE_FIXTURES.filter((name) => name !== 'e-count-tokens'))('removes every marker from %s', (name) => {
    const body = claudeCodeRequest(name);
    expect(JSON.stringify(body)).toContain('"cache_control"');
    const { request: cleaned, rewrites } = applyHygiene(body, rules);
    expect(rewrites).toEqual(['drop-cache-control']);
    expect(JSON.stringify(cleaned)).not.toContain('"cache_control"');
    expect(cleaned.tools).toBe(body.tools); // Claude Code puts no marker on tools
  });

  it('removes markers from the request, system, blocks, tool-result content, system entries and tools', () => {
    const body = request({
      cache_control: ephemeral,
      system: [{ type: 'text', text: 'sys', cache_control: ephemeral }],
      tools: [{ name: 't', input_schema: { type: 'object' }, cache_control: ephemeral }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'q', cache_control: ephemeral }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 't', input: {}, cache_control: ephemeral }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              cache_control: ephemeral,
              content: [
                { type: 'text', text: 'out', cache_control: ephemeral },
                { type: 'text', text: 'more' },
              ],
            },
          ],
        },
        { role: 'system', content: [{ type: 'text', text: 'env', cache_control: ephemeral }] },
      ],
    });
    const { request: cleaned } = applyHygiene(body, rules);
    expect(cleaned).toEqual({
      model: 'm',
      max_tokens: 16,
      system: [{ type: 'text', text: 'sys' }],
      tools: [{ name: 't', input_schema: { type: 'object' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'q' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 't', input: {} }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'out' }, { type: 'text', text: 'more' }] }],
        },
        { role: 'system', content: [{ type: 'text', text: 'env' }] },
      ],
    });
    // Blocks without a marker are shared, not copied.
    const results = body.messages[2].content as { content: unknown[] }[];
    const cleanedResults = cleaned.messages[2].content as { content: unknown[] }[];
    expect(cleanedResults[0].content[1]).toBe(results[0].content[1]);
  });

  it('returns the same request when there is no marker', () => {
    const body = claudeCodeRequest('e-count-tokens');
    expect(applyHygiene(body, rules)).toEqual({ request: body, rewrites: [] });
    expect(applyHygiene(body, rules).request).toBe(body);
  });
});

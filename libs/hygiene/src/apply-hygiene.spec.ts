import { applyHygiene, HYGIENE_REWRITES, LOCAL_HYGIENE, NO_HYGIENE, type HygieneRules } from '@turnout/hygiene';
import { CLAUDE_CODE_FIXTURES, claudeCodeRequest, only, request } from '../test/hygiene-test-support';

const ALL_RULES: HygieneRules = {
  stripBillingHeader: true,
  foldSystemMessages: true,
  dropCacheControl: true,
  dropFields: ['context_management', 'metadata', 'not_present'],
  dropForeignThinking: true,
  toolIdFormat: 'mistral9',
};

describe('applyHygiene', () => {
  it.each(CLAUDE_CODE_FIXTURES)('returns the same object and no rewrites with NO_HYGIENE (%s)', (name) => {
    const body = claudeCodeRequest(name);
    const result = applyHygiene(body, NO_HYGIENE);
    expect(result.request).toBe(body);
    expect(result.rewrites).toEqual([]);
  });

  it('returns the same object under LOCAL_HYGIENE when there is nothing to clean (count_tokens body)', () => {
    const body = claudeCodeRequest('e-count-tokens');
    const result = applyHygiene(body, LOCAL_HYGIENE);
    expect(result.request).toBe(body);
    expect(result.rewrites).toEqual([]);
  });

  it('returns the same object under every rule for a plain request', () => {
    const body = request({ system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }], thinking: { type: 'adaptive' } });
    expect(applyHygiene(body, ALL_RULES)).toEqual({ request: body, rewrites: [] });
    expect(applyHygiene(body, ALL_RULES).request).toBe(body);
  });

  it('cleans a Claude Code first turn for a local server: billing block, system entry, cache markers', () => {
    const body = claudeCodeRequest('a-first-turn-hello');
    const before = JSON.stringify(body);
    const { request: cleaned, rewrites } = applyHygiene(body, LOCAL_HYGIENE);

    expect(rewrites).toEqual([HYGIENE_REWRITES.stripBillingHeader, HYGIENE_REWRITES.foldSystemMessages, HYGIENE_REWRITES.dropCacheControl]);
    expect(JSON.stringify(body)).toBe(before);
    const wire = JSON.stringify(cleaned);
    expect(wire).not.toContain('x-anthropic-billing-header');
    expect(wire).not.toContain('cache_control');
    expect(cleaned.messages.map((message) => message.role)).toEqual(['user']);
    // Untouched parts are shared, not copied.
    expect(cleaned.tools).toBe(body.tools);
    expect(cleaned.metadata).toBe(body.metadata);
  });

  it.each(CLAUDE_CODE_FIXTURES)('never mutates the input and names each rewrite at most once (%s, every rule)', (name) => {
    const body = claudeCodeRequest(name); // deep-frozen: a write would throw
    const before = JSON.stringify(body);
    const { rewrites } = applyHygiene(body, ALL_RULES);
    expect(JSON.stringify(body)).toBe(before);
    expect(new Set(rewrites).size).toBe(rewrites.length);
  });

  it('reports rewrites in the documented rule order', () => {
    const body = claudeCodeRequest('c-thinking-tool-turn');
    const { rewrites } = applyHygiene(body, ALL_RULES);
    expect(rewrites).toEqual([
      'drop-fields(context_management,metadata)',
      'strip-billing-header',
      'fold-system-messages',
      'drop-cache-control',
      'tool-ids-mistral9',
    ]);
  });

  it('is idempotent: a cleaned request is returned as is by a second pass', () => {
    const once = applyHygiene(claudeCodeRequest('b-tool-result-turn'), ALL_RULES).request;
    const twice = applyHygiene(once, ALL_RULES);
    expect(twice.request).toBe(once);
    expect(twice.rewrites).toEqual([]);
  });

  it('only runs the rules that are switched on', () => {
    const body = claudeCodeRequest('a-first-turn-hello');
    const { request: cleaned, rewrites } = applyHygiene(body, only({ dropCacheControl: true }));
    expect(rewrites).toEqual(['drop-cache-control']);
    expect(cleaned.system).toHaveLength(3);
    expect(cleaned.messages.map((message) => message.role)).toEqual(['user', 'system']);
  });
});

describe('rule sets', () => {
  it('NO_HYGIENE switches everything off', () => {
    expect(NO_HYGIENE).toEqual({
      stripBillingHeader: false,
      foldSystemMessages: false,
      dropCacheControl: false,
      dropFields: [],
      dropForeignThinking: false,
      toolIdFormat: 'keep',
    });
  });

  it('LOCAL_HYGIENE strips the billing block, folds system entries and drops cache markers', () => {
    expect(LOCAL_HYGIENE).toEqual({
      stripBillingHeader: true,
      foldSystemMessages: true,
      dropCacheControl: true,
      dropFields: [],
      dropForeignThinking: false,
      toolIdFormat: 'keep',
    });
  });

  it('are frozen, down to the field list', () => {
    for (const rules of [NO_HYGIENE, LOCAL_HYGIENE]) {
      expect(Object.isFrozen(rules)).toBe(true);
      expect(Object.isFrozen(rules.dropFields)).toBe(true);
    }
  });

  it('take partial config overrides on top', () => {
    const overrides: Partial<HygieneRules> = { stripBillingHeader: false, toolIdFormat: 'mistral9' };
    const rules: HygieneRules = { ...LOCAL_HYGIENE, ...overrides };
    expect(rules).toMatchObject({ stripBillingHeader: false, foldSystemMessages: true, toolIdFormat: 'mistral9' });
  });
});

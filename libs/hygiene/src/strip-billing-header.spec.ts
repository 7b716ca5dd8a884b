import { applyHygiene, type HygieneRules } from '@turnout/hygiene';
import { claudeCodeRequest, only, request } from '../test/hygiene-test-support';

const rules: HygieneRules = only({ stripBillingHeader: true });
const user = [{ role: 'user' as const, content: 'hi' }];

describe('strip-billing-header', () => {
  it.each(['a-first-turn-hello', 'b-tool-result-turn', 'd-haiku-no-experimental-betas'] as const)(
    'removes only the billing block from a Claude Code system prompt (%s)',
    (name) => {
      const body = claudeCodeRequest(name);
      const system = body.system as readonly { text: string }[];
      const { request: cleaned, rewrites } = applyHygiene(body, rules);
      expect(rewrites).toEqual(['strip-billing-header']);
      expect(system[0].text).toMatch(/^x-anthropic-billing-header: cc_version=2\.1\.330\.[0-9a-f]{3}; cc_entrypoint=sdk-cli;$/);
      // The two cached blocks stay, as the same objects (their prefix is what should be cached).
      expect(cleaned.system).toEqual([system[1], system[2]]);
      expect((cleaned.system as unknown[])[0]).toBe(system[1]);
      expect(cleaned.messages).toBe(body.messages);
    },
  );

  it('makes two conversations with different billing suffixes share the system prefix', () => {
    const a = applyHygiene(claudeCodeRequest('a-first-turn-hello'), rules).request;
    const b = applyHygiene(claudeCodeRequest('b-tool-result-turn'), rules).request;
    expect(JSON.stringify(a.system)).toBe(JSON.stringify(b.system));
  });

  it('removes the billing line of a string system prompt', () => {
    const body = request({ system: 'x-anthropic-billing-header: cc_version=1; cch=ab12c;\nYou are helpful.', messages: user });
    expect(applyHygiene(body, rules).request.system).toBe('You are helpful.');
  });

  it('removes the system key when the billing block was all there was', () => {
    const asBlocks = request({ system: [{ type: 'text', text: 'x-anthropic-billing-header: cch=00000;' }], messages: user });
    const asString = request({ system: 'x-anthropic-billing-header: cch=00000;', messages: user });
    for (const body of [asBlocks, asString]) {
      const { request: cleaned, rewrites } = applyHygiene(body, rules);
      expect(Object.hasOwn(cleaned, 'system')).toBe(false);
      expect(rewrites).toEqual(['strip-billing-header']);
    }
  });

  it('leaves prompts alone that only mention the header later on', () => {
    const body = request({
      system: [{ type: 'text', text: 'Never print x-anthropic-billing-header: values.' }],
      messages: user,
    });
    expect(applyHygiene(body, rules)).toEqual({ request: body, rewrites: [] });
    expect(applyHygiene(request({ system: 'Plain.\nx-anthropic-billing-header: late', messages: user }), rules).rewrites).toEqual([]);
    expect(applyHygiene(request({ messages: user }), rules).rewrites).toEqual([]);
  });
});

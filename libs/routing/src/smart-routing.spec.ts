import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnthropicRequest } from '@turnout/protocol';
import { ConfigError, validateConfig } from '@turnout/config';
import { requestFacts, sessionIdOf } from './request-facts';
import { RoutingSnapshot } from './route-resolver';

const providers = ['big-1', 'big-2', 'small', 'reasoner', 'long', 'search'].map((id) => ({ id, kind: 'llama-cpp', base_url: `http://${id}:8080`, messages: 'translate' }));

/** The Claude Code recipe: each rule type, in the order a user would write them. */
const snapshot = new RoutingSnapshot(
  validateConfig({
    providers,
    routes: [
      { name: 'long', models: ['claude-*'], when: { input_tokens_over: 60_000 }, provider: 'long' },
      { name: 'thinking', match: 'claude-*', when: { thinking: true }, provider: 'reasoner' },
      { name: 'search', match: 'claude-*', when: { tool: 'web_search*' }, provider: 'search' },
      { name: 'vision', match: 'claude-*', when: { images: true }, provider: 'big-2' },
      { name: 'team-ml', match: 'claude-*', when: { header: { name: 'X-Team', value: 'ml-*' } }, provider: 'reasoner' },
      { name: 'background', models: ['claude-*haiku*', 'claude-3-5-haiku-latest'], provider: 'small' },
      { name: 'opus', model_regex: 'claude-(opus|sonnet)-[0-9].*', targets: [{ provider: 'big-1', weight: 2 }, { provider: 'big-2', model: 'qwen3-coder' }] },
      { name: 'unknown-claude', match: 'claude-*', provider: 'big-1' },
    ],
  }),
);

function request(extra: Partial<Record<string, unknown>> = {}, model = 'claude-sonnet-4-6'): AnthropicRequest {
  return { model, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }], ...extra } as unknown as AnthropicRequest;
}

async function routeOf(body: AnthropicRequest, headers: Record<string, string> = {}, tokens = 100): Promise<string> {
  let counted = 0;
  const decision = await snapshot.route(
    requestFacts(body, headers, async () => {
      counted++;
      return tokens;
    }),
  );
  expect(counted).toBeLessThanOrEqual(1);
  return decision.route.name;
}

describe('smart routing rules (issue 8)', () => {
  it("a route's configured name picks that route, its conditions aside (names are what /v1/models lists)", async () => {
    expect(await routeOf(request({}, 'thinking'))).toBe('thinking');
    expect(await routeOf(request({}, 'background'))).toBe('background');
    expect(snapshot.resolve('long').route.name).toBe('long');
    expect(snapshot.resolve('opus').upstreamModel).toBe('opus');
  });

  it('input tokens over a threshold', async () => {
    expect(await routeOf(request(), {}, 60_001)).toBe('long');
    expect(await routeOf(request(), {}, 60_000)).toBe('opus');
  });

  it('thinking asked for explicitly, or adaptive with high effort; Claude Code default adaptive is not', async () => {
    expect(await routeOf(request({ thinking: { type: 'enabled', budget_tokens: 2048 } }))).toBe('thinking');
    expect(await routeOf(request({ thinking: { type: 'adaptive' }, output_config: { effort: 'high' } }))).toBe('thinking');
    expect(await routeOf(request({ thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } }))).toBe('opus');
  });

  it('a tool whose name matches', async () => {
    expect(await routeOf(request({ tools: [{ name: 'Bash', input_schema: {} }, { name: 'web_search_20250305', input_schema: {} }] }))).toBe('search');
    expect(await routeOf(request({ tools: [{ name: 'Bash', input_schema: {} }] }))).toBe('opus');
  });

  it('images anywhere, tool results included', async () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } };
    expect(await routeOf(request({ messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [image] }] }] }))).toBe('vision');
  });

  it('a header value (names are case-insensitive)', async () => {
    expect(await routeOf(request(), { 'x-team': 'ml-research' })).toBe('team-ml');
    expect(await routeOf(request(), { 'x-team': 'web' })).toBe('opus');
  });

  it('alias lists, regexes, and a catch-all for unknown Claude names', async () => {
    expect(await routeOf(request({}, 'claude-haiku-4-5'))).toBe('background');
    expect(await routeOf(request({}, 'claude-3-5-haiku-latest'))).toBe('background');
    expect(await routeOf(request({}, 'claude-opus-4-1'))).toBe('opus');
    expect(await routeOf(request({}, 'claude-future-9'))).toBe('unknown-claude');
    await expect(snapshot.route(requestFacts(request({}, 'gpt-4o'), {}, async () => 0))).rejects.toMatchObject({ status: 404 });
  });

  it('order matters: the first matching rule wins, and later conditions are not evaluated', async () => {
    let counted = 0;
    await snapshot.route(requestFacts(request({}, 'claude-haiku-4-5'), {}, async () => ++counted));
    // The "long" rule (first) needs the count; it is asked exactly once and no more.
    expect(counted).toBe(1);
  });

  it('replicas: the candidates list the chosen one, then the others, each with its own model', async () => {
    const decision = await snapshot.route(requestFacts(request({}, 'claude-opus-4-1'), {}, async () => 0));
    expect(decision.route.targets.map((t) => [t.provider, t.weight])).toEqual([['big-1', 2], ['big-2', 1]]);
    const second = snapshot.replica(decision, 1, 'claude-opus-4-1');
    expect([second.provider.id, second.upstreamModel]).toEqual(['big-2', 'qwen3-coder']);
    expect(snapshot.candidates(second).map((d) => [d.provider.id, d.upstreamModel])).toEqual([
      ['big-2', 'qwen3-coder'],
      ['big-1', 'claude-opus-4-1'],
    ]);
    expect(decision.route.affinity).toBe('session');
  });

  it('resolve(model) for explain and /v1/models ignores conditional routes when a plain one matches', () => {
    expect(snapshot.resolve('claude-sonnet-4-6').route.name).toBe('opus');
  });

  it('refuses a route with both provider and targets, neither, a bad regex, or no model rule', () => {
    const base = { providers: [providers[0]] };
    expect(() => validateConfig({ ...base, routes: [{ match: '*', provider: 'big-1', targets: [{ provider: 'big-1' }] }] })).toThrow(ConfigError);
    expect(() => validateConfig({ ...base, routes: [{ match: '*' }] })).toThrow('routes[0]: give either provider (one target) or targets (replicas), not neither');
    expect(() => validateConfig({ ...base, routes: [{ model_regex: '(', provider: 'big-1' }] })).toThrow(/routes\[0\]\.model_regex: not a valid regular expression/);
    expect(() => validateConfig({ ...base, routes: [{ provider: 'big-1' }] })).toThrow('routes[0]: needs a model rule: match, models or model_regex');
    expect(() => validateConfig({ ...base, routes: [{ match: '*', targets: [{ provider: 'nope' }] }] })).toThrow('routes[0].targets[0].provider: unknown provider "nope"');
  });
});

describe('session ids', () => {
  it('from the header, else from metadata.user_id as Claude Code sends it (JSON text)', () => {
    const body = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'claude-code', 'a-first-turn-hello.body.json'), 'utf8')) as { metadata: unknown };
    expect(sessionIdOf({}, body.metadata)).toBe('d43302ca-a3ad-4f0f-a302-26320dc98e20');
    expect(sessionIdOf({ 'x-claude-code-session-id': 'abc-session' }, body.metadata)).toBe('abc-session');
    expect(sessionIdOf({}, { user_id: 'user_1f_account_22_session_0a1b2c3d-0000-4000-8000-000000000000' })).toBe('0a1b2c3d-0000-4000-8000-000000000000');
    expect(sessionIdOf({}, undefined)).toBeUndefined();
  });
});

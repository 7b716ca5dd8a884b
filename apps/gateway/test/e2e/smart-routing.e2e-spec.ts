import Anthropic from '@anthropic-ai/sdk';
import {
  answerBackgroundTraffic,
  ScriptedUpstream,
  startGatewayProcess,
  startRedisServer,
  writeTempConfig,
  type GatewayProcess,
  type RedisServer,
} from '@turnout/testing';
import { completion } from './openai-chunks';

/**
 * Issue 8 through the official SDK: the Claude Code recipe (big model for sonnet and opus with
 * two replicas, small model for haiku, a reasoning model for thinking, a long-context model
 * over a token threshold), session affinity across two gateways sharing Redis, a replica that
 * fails (the session moves, then stays), and a prompt refused before it reaches any server.
 */
jest.setTimeout(30_000);

const names = ['big-a', 'big-b', 'small', 'reasoner', 'long'] as const;
type Name = (typeof names)[number];
const upstreams = {} as Record<Name, ScriptedUpstream>;
let redis: RedisServer;
let gateways: GatewayProcess[] = [];
let clients: Anthropic[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  for (const name of names) {
    upstreams[name] = answerBackgroundTraffic(await ScriptedUpstream.start());
    upstreams[name].standing({ path: '/v1/chat/completions' }).respond({ json: completion({ content: name }, 'stop') });
  }
  const provider = (name: Name, extra = '') =>
    `  - { id: ${name}, kind: llama-cpp, base_url: "${upstreams[name].url}", messages: translate, retries: { max_attempts: 1 }${extra} }`;
  const config = writeTempConfig(`providers:
${provider('big-a')}
${provider('big-b')}
${provider('small', ', context_window: 2000')}
${provider('reasoner')}
${provider('long')}
routes:
  - name: long-context
    match: "claude-*"
    when: { input_tokens_over: 5000 }
    provider: long
  - name: thinking
    match: "claude-*"
    when: { thinking: true }
    provider: reasoner
  - name: background
    models: ["claude-*haiku*"]
    provider: small
  - name: main
    model_regex: "claude-(opus|sonnet).*"
    targets: [{ provider: big-a }, { provider: big-b }]
`);
  const env = { REDIS_URL: redis.url, TURNOUT_ADMIN_TOKEN: 'admin-e2e' };
  gateways = await Promise.all([startGatewayProcess(config, env), startGatewayProcess(config, env)]);
  clients = gateways.map((gateway) => new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 }));
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await Promise.all(Object.values(upstreams).map((upstream) => upstream.close()));
  await redis?.stop();
});

async function served(client: Anthropic, params: Partial<Anthropic.MessageCreateParamsNonStreaming>, headers: Record<string, string> = {}) {
  const { data, response } = await client.messages
    .create({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }], ...params } as Anthropic.MessageCreateParamsNonStreaming, { headers })
    .withResponse();
  const text = data.content[0]?.type === 'text' ? data.content[0].text : '';
  return { text, route: response.headers.get('x-turnout-route'), provider: response.headers.get('x-turnout-provider') };
}

it('haiku goes to the small model, a thinking request to the reasoning model, a long prompt to the long-context model', async () => {
  expect(await served(clients[0]!, { model: 'claude-haiku-4-5' })).toEqual({ text: 'small', route: 'background', provider: 'small' });
  expect(await served(clients[0]!, { thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 2048 })).toMatchObject({ text: 'reasoner', route: 'thinking' });
  const long = 'word '.repeat(30_000);
  expect(await served(clients[0]!, { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: long }] })).toMatchObject({ text: 'long', route: 'long-context' });
});

it('a Claude Code session sticks to one replica, on both gateways (affinity in Redis)', async () => {
  const session = { 'x-claude-code-session-id': 'session-affinity-1' };
  const first = await served(clients[0]!, {}, session);
  expect(first.route).toBe('main');
  for (let i = 0; i < 6; i++) {
    expect((await served(clients[i % 2]!, {}, session)).provider).toBe(first.provider);
  }
});

it('when the session\'s replica fails, the session moves to the other one, and stays there after it recovers', async () => {
  const session = { 'x-claude-code-session-id': 'session-affinity-2' };
  const home = (await served(clients[0]!, {}, session)).provider as 'big-a' | 'big-b';
  const other = home === 'big-a' ? 'big-b' : 'big-a';
  upstreams[home].expect({ path: '/v1/chat/completions' }).respond({ status: 503, json: { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } } });
  expect((await served(clients[1]!, {}, session)).provider).toBe(other);
  // The home replica answers again; the session's cache is now on the other one, so it stays.
  for (let i = 0; i < 4; i++) expect((await served(clients[i % 2]!, {}, session)).provider).toBe(other);
});

it('a prompt that cannot fit the context window is refused before it reaches any server', async () => {
  const before = upstreams.small.requests.length;
  const failure = await clients[0]!.messages
    .create({ model: 'claude-haiku-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'token '.repeat(3_000) }] })
    .catch((error: unknown) => error as { status: number; error: { error: { type: string; message: string } } });
  expect(failure).toMatchObject({ status: 400 });
  expect((failure as { error: { error: { message: string } } }).error.error.message).toMatch(/^prompt is too long: \d+ tokens > 2000 maximum$/);
  expect(upstreams.small.requests.length).toBe(before);
});

it('explain says whether a prompt fits the target\'s window, and refuses the one that cannot fit', async () => {
  const explain = async (content: string) => {
    const response = await fetch(`${gateways[0]!.url}/admin/routes/explain`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-e2e', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 8, messages: [{ role: 'user', content }] }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { route_name: string; context_window: number; input_tokens: number; window_check: string; why: string };
  };
  const before = upstreams.small.requests.length;
  const short = await explain('hi');
  expect(short).toMatchObject({ route_name: 'background', context_window: 2000 });
  expect(short.window_check).toMatch(/^fits: about \d+ tokens \(estimate\), under 70% of the 2000-token window$/);
  const long = await explain('token '.repeat(3_000));
  expect(long.input_tokens).toBeGreaterThan(2000);
  expect(long.window_check).toBe(`refused before any prefill: prompt is too long: ${long.input_tokens} tokens > 2000 maximum`);
  expect(long.why).toContain('refused before any prefill');
  expect(upstreams.small.requests.length).toBe(before);
});

it('/v1/models reports the configured context window', async () => {
  const model = await clients[0]!.models.retrieve('claude-haiku-4-5');
  expect(model.max_input_tokens).toBe(2000);
});

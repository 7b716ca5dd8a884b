import Anthropic from '@anthropic-ai/sdk';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  keySha256,
  answerBackgroundTraffic,
  REPO_ROOT,
  ScriptedUpstream,
  startGatewayProcess,
  startRedisServer,
  writeTempConfig,
  type GatewayProcess,
  type RedisServer,
} from '@turnout/testing';
import { completion } from './openai-chunks';

/**
 * Issue 19 (2): a key's use in /metrics (requests, tokens, cost by the config's price table), in
 * `GET /admin/keys/{id}/usage` (daily buckets in Redis; in memory in file mode), and its token
 * budget: the request after the budget is spent is a 429 naming the budget and when it resets.
 */
jest.setTimeout(60_000);

const ADMIN = 'admin-token-for-usage';
let upstream: ScriptedUpstream;
let redis: RedisServer;
let gateway: GatewayProcess;
let fileGateway: GatewayProcess;

const configYaml = (url: string) => `providers:
  - { id: u, kind: llama-cpp, base_url: "${url}", messages: translate }
routes:
  - { match: "*", provider: u }
keys:
  - { id: from-file, sha256: "${keySha256('tk-usage-file-key')}" }
  - { id: capped-file, sha256: "${keySha256('tk-capped-file-key')}", budget: { monthly_tokens: 15 } }
prices:
  - { model: "claude-*", input_usd_per_mtok: 3, output_usd_per_mtok: 15 }
`;

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  // 10 input and 5 output tokens per answer.
  upstream.standing({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'ok' }, 'stop', 10, 5) });
  [gateway, fileGateway] = await Promise.all([
    startGatewayProcess(writeTempConfig(configYaml(upstream.url)), { REDIS_URL: redis.url, TURNOUT_ADMIN_TOKEN: ADMIN, TURNOUT_USAGE_DAYS: '30' }),
    startGatewayProcess(writeTempConfig(configYaml(upstream.url)), { TURNOUT_ADMIN_TOKEN: ADMIN }),
  ]);
});
afterAll(async () => {
  await Promise.all([gateway, fileGateway].map((g) => g?.stop()));
  await upstream?.close();
  await redis?.stop();
});

async function admin(target: GatewayProcess, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

const ask = (target: GatewayProcess, apiKey: string) =>
  new Anthropic({ baseURL: target.url, maxRetries: 0, apiKey }).messages
    .create({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
    .then(
      () => ({ status: 200 }) as { status: number; type?: string; message?: string; retryAfter?: string | null },
      (error: { status: number; headers: Headers; error: { error: { type: string; message: string } } }) => ({
        status: error.status,
        type: error.error?.error?.type,
        message: error.error?.error?.message,
        retryAfter: error.headers?.get('retry-after'),
      }),
    );

/** Usage is written after the answer is settled: wait until the bucket shows `requests`. */
async function usageWhen(target: GatewayProcess, id: string, requests: number, query = '') {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const answer = await admin(target, 'GET', `/admin/keys/${id}/usage${query}`);
    if (answer.json.data?.at(-1)?.requests === requests || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const metric = async (target: GatewayProcess, line: RegExp) => line.exec(await (await fetch(`${target.url}/metrics`)).text())?.[1];

it('a key with a daily token budget: usage in /metrics and in daily buckets, then 429 naming the budget and its reset', async () => {
  const created = await admin(gateway, 'POST', '/admin/keys', { name: 'budgeted', budget: { daily_tokens: 40 } });
  expect(created.status).toBe(201);
  const { key, secret } = created.json as { key: { id: string }; secret: string };
  for (let i = 1; i <= 3; i++) {
    expect(await ask(gateway, secret)).toEqual({ status: 200 });
    await usageWhen(gateway, key.id, i); // the budget check reads what is recorded
  }
  const usage = await admin(gateway, 'GET', `/admin/keys/${key.id}/usage?days=3`);
  expect(usage.status).toBe(200);
  const today = new Date().toISOString().slice(0, 10);
  expect(usage.json.data).toHaveLength(3);
  expect(usage.json.data[2]).toEqual({ date: today, requests: 3, input_tokens: 30, output_tokens: 15, cost_usd: 0.000315 });
  expect(usage.json.data[0]).toMatchObject({ requests: 0, input_tokens: 0 });
  // 45 tokens used of 40: refused until the next UTC midnight.
  const refused = await ask(gateway, secret);
  const midnight = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString();
  expect(refused).toMatchObject({ status: 429, type: 'rate_limit_error', message: `key budgeted is over its daily token budget (40; used 45); it resets at ${midnight}` });
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  expect(Number(refused.retryAfter)).toBeLessThanOrEqual(86_400);
  expect(await metric(gateway, new RegExp(`^turnout_key_requests_total\\{key="${key.id}",outcome="completed"\\} (\\d+)`, 'm'))).toBe('3');
  expect(await metric(gateway, new RegExp(`^turnout_key_tokens_total\\{key="${key.id}",type="output"\\} (\\d+)`, 'm'))).toBe('15');
  expect(Number(await metric(gateway, new RegExp(`^turnout_cost_usd_total\\{key="${key.id}"\\} ([0-9.e-]+)`, 'm')))).toBeCloseTo(0.000315, 9);
});

it('usage: days is bounded by TURNOUT_USAGE_DAYS; an unknown key is a 404', async () => {
  for (const days of ['0', '31', 'x', '1.5']) {
    const answer = await admin(gateway, 'GET', `/admin/keys/from-file/usage?days=${days}`);
    expect([answer.status, answer.json.error.message]).toEqual([400, 'days: an integer from 1 to 30 (TURNOUT_USAGE_DAYS)']);
  }
  expect((await admin(gateway, 'GET', '/admin/keys/from-file/usage?days=30')).json.data).toHaveLength(30);
  expect((await admin(gateway, 'GET', '/admin/keys/key_ffffffffffff/usage')).status).toBe(404);
});

it('file mode: a config key\'s usage is kept in memory and served by the same endpoint', async () => {
  expect(await ask(fileGateway, 'tk-usage-file-key')).toEqual({ status: 200 });
  const usage = await usageWhen(fileGateway, 'from-file', 1);
  expect(usage.json.data.at(-1)).toMatchObject({ requests: 1, input_tokens: 10, output_tokens: 5, cost_usd: 0.000105 });
});

it('a config-file key\'s budget holds in file mode too (memory usage): 429 once the month\'s tokens are spent', async () => {
  expect(await ask(fileGateway, 'tk-capped-file-key')).toEqual({ status: 200 });
  await usageWhen(fileGateway, 'capped-file', 1);
  const refused = await ask(fileGateway, 'tk-capped-file-key');
  const now = new Date();
  const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
  expect(refused).toMatchObject({ status: 429, type: 'rate_limit_error', message: `key capped-file is over its monthly token budget (15; used 15); it resets at ${nextMonth}` });
  expect((await admin(fileGateway, 'GET', '/admin/keys/capped-file')).json).toMatchObject({ source: 'config', budget: { monthly_tokens: 15 } });
});

it('a bad budget in the config file is refused by turnout config validate, naming the field', () => {
  const file = writeTempConfig(configYaml(upstream.url).replace('monthly_tokens: 15', 'monthly_tokens: -1'));
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), 'config', 'validate', file], { encoding: 'utf8' });
  expect(result.status).toBe(1);
  expect(`${result.stdout}${result.stderr}`).toContain('monthly_tokens');
});

import Anthropic from '@anthropic-ai/sdk';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  answerBackgroundTraffic,
  REPO_ROOT,
  ScriptedUpstream,
  startGatewayProcess,
  startRedisServer,
  writeTempConfig,
  type GatewayProcess,
  type RedisServer,
} from '@turnout/testing';
import { chunkFrame, completion, DONE_FRAME, usageFrame } from './openai-chunks';

/**
 * Issue 4 as a user meets it: Redis and two gateways; a change made through the admin API or
 * the CLI applies on both with no restart and no dropped stream; stale writes get 409; an
 * invalid document changes nothing; Redis lost and back.
 */
jest.setTimeout(60_000);

const TOKEN = 'admin-secret';
let redis: RedisServer;
let first: ScriptedUpstream;
let second: ScriptedUpstream;
let gateways: GatewayProcess[] = [];
let seedPath: string;

const providersYaml = () => `providers:
  - { id: first, kind: llama-cpp, base_url: "${first.url}", messages: translate }
  - { id: second, kind: llama-cpp, base_url: "${second.url}", messages: translate }
`;

beforeAll(async () => {
  redis = await startRedisServer();
  first = answerBackgroundTraffic(await ScriptedUpstream.start());
  second = answerBackgroundTraffic(await ScriptedUpstream.start());
  first.standing({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'from first' }, 'stop') });
  second.standing({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'from second' }, 'stop') });
  seedPath = writeTempConfig(`${providersYaml()}routes:
  - { match: "*", provider: first }
`);
  const env = { REDIS_URL: redis.url, TURNOUT_ADMIN_TOKEN: TOKEN };
  gateways = await Promise.all([startGatewayProcess(seedPath, env), startGatewayProcess(seedPath, env)]);
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await Promise.all([first?.close(), second?.close()]);
  await redis?.stop();
});

function admin(gateway: GatewayProcess, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function answerOf(gateway: GatewayProcess): Promise<string> {
  const client = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
  const message = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
  return message.content[0]?.type === 'text' ? message.content[0].text : '';
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${what} did not happen within 10 s`);
}

async function routeTo(provider: string, revision: number): Promise<Response> {
  return admin(gateways[0]!, 'PUT', '/admin/config', {
    providers: [
      { id: 'first', kind: 'llama-cpp', base_url: first.url, messages: 'translate' },
      { id: 'second', kind: 'llama-cpp', base_url: second.url, messages: 'translate' },
    ],
    routes: [{ match: '*', provider }],
  }, { 'if-match': `"${revision}"` });
}

async function currentRevision(): Promise<number> {
  const response = await admin(gateways[0]!, 'GET', '/admin/config');
  return Number((response.headers.get('etag') ?? '').replace(/"/g, ''));
}

it('both gateways start on the document seeded once from the file, and say so on /ready', async () => {
  for (const gateway of gateways) {
    expect(await answerOf(gateway)).toBe('from first');
    const ready = (await (await fetch(`${gateway.url}/ready`)).json()) as { ready: boolean; source: string; revision: number };
    expect(ready).toMatchObject({ ready: true, source: 'redis', revision: 1 });
  }
  const read = await admin(gateways[1]!, 'GET', '/admin/config');
  expect(read.headers.get('etag')).toBe('"1"');
  expect(((await read.json()) as { config: { routes: unknown[] } }).config.routes).toEqual([{ match: '*', provider: 'first' }]);
});

it('the admin API is closed without the token', async () => {
  const response = await fetch(`${gateways[0]!.url}/admin/config`, { headers: { authorization: 'Bearer wrong' } });
  expect(response.status).toBe(401);
  expect(((await response.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
});

it('a change through the admin API reaches both gateways without a restart', async () => {
  const revision = await currentRevision();
  const response = await routeTo('second', revision);
  expect(response.status).toBe(200);
  expect(response.headers.get('etag')).toBe(`"${revision + 1}"`);
  for (const gateway of gateways) await eventually(async () => (await answerOf(gateway)) === 'from second', 'the new route applying');
});

it('a stale If-Match is a 409 and changes nothing', async () => {
  const revision = await currentRevision();
  const stale = await routeTo('first', revision - 1);
  expect(stale.status).toBe(409);
  expect(((await stale.json()) as { error: { type: string; message: string } }).error.message).toContain('config changed since you read it');
  expect(await currentRevision()).toBe(revision);
});

it('an invalid document is refused with the field named; the old routes keep serving', async () => {
  const revision = await currentRevision();
  const bad = await admin(gateways[0]!, 'PUT', '/admin/config', { providers: [{ id: 'first', kind: 'nope', base_url: first.url }], routes: [] }, { 'if-match': `${revision}` });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('providers[0].kind');
  const dryRun = await admin(gateways[0]!, 'POST', '/admin/config/validate', { providers: [], routes: [] });
  expect(dryRun.status).toBe(400);
  expect(await currentRevision()).toBe(revision);
  expect(await answerOf(gateways[1]!)).toBe('from second');
});

it('routes/explain says which route, provider, mode and upstream model a request gets', async () => {
  const response = await admin(gateways[1]!, 'POST', '/admin/routes/explain', { model: 'claude-haiku-4-5', max_tokens: 1, messages: [] });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ model: 'claude-haiku-4-5', route_index: 0, route: '*', provider: 'second', mode: 'translate', protocol: 'openai-chat', upstream_model: 'claude-haiku-4-5' });
  const unknownField = await admin(gateways[1]!, 'POST', '/admin/config/rollback', { revison: 1 });
  expect(unknownField.status).toBe(400);
});

it('single routes and providers can be edited; deleting a provider still in use is refused', async () => {
  const added = await admin(gateways[0]!, 'POST', '/admin/routes?at=0', { match: 'claude-*haiku*', provider: 'first', model: 'small' });
  expect(added.status).toBe(200);
  await eventually(async () => ((await (await admin(gateways[1]!, 'GET', '/admin/routes')).json()) as { data: unknown[] }).data.length === 2, 'the route on the other gateway');
  const inUse = await admin(gateways[0]!, 'DELETE', '/admin/providers/first');
  expect(inUse.status).toBe(400);
  const removed = await admin(gateways[0]!, 'DELETE', '/admin/routes/0');
  expect(removed.status).toBe(200);
  const missing = await admin(gateways[0]!, 'DELETE', '/admin/routes/7');
  expect(missing.status).toBe(404);
});

it('history and rollback: the old content comes back as a new revision', async () => {
  const history = (await (await admin(gateways[0]!, 'GET', '/admin/config/history?limit=50')).json()) as { data: Array<{ revision: number }> };
  const revisions = history.data.map((entry) => entry.revision);
  expect(revisions[0]).toBe(await currentRevision());
  expect(revisions).toContain(1);
  const rolled = await admin(gateways[0]!, 'POST', '/admin/config/rollback', { revision: 1 });
  expect(rolled.status).toBe(200);
  for (const gateway of gateways) await eventually(async () => (await answerOf(gateway)) === 'from first', 'the rollback applying');
});

it('the CLI exports, imports with the revision check, and explains', async () => {
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', TURNOUT_URL: gateways[1]!.url, TURNOUT_ADMIN_TOKEN: TOKEN },
    });
  const exported = writeTempConfig('');
  await cli(['config', 'export', '--out', exported]);
  const yaml = readFileSync(exported, 'utf8');
  const revision = await currentRevision();
  expect(yaml.split('\n')[0]).toBe(`# turnout config revision: ${revision}`);
  writeFileSync(exported, yaml.replace('provider: first', 'provider: second'));
  const imported = await cli(['config', 'import', exported]);
  expect(imported.stdout).toContain(`now revision ${revision + 1}`);
  for (const gateway of gateways) await eventually(async () => (await answerOf(gateway)) === 'from second', 'the imported route applying');
  // The same file again is now stale: refused, exit 1, the message says why.
  await expect(cli(['config', 'import', exported])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('409') });
  const explained = await cli(['routes', 'explain', 'claude-opus-4-1']);
  expect(JSON.parse(explained.stdout)).toMatchObject({ provider: 'second', mode: 'translate' });
  const history = await cli(['config', 'history', '--limit', '3']);
  expect(history.stdout.trim().split('\n')).toHaveLength(3);
});

it('a stream in flight is not disturbed by a route change', async () => {
  await routeTo('first', await currentRevision());
  await eventually(async () => (await answerOf(gateways[0]!)) === 'from first', 'route to first');
  first.expect({ path: '/v1/chat/completions' }).respond({
    frames: [chunkFrame({ role: 'assistant', content: null }), chunkFrame({ content: 'slow ' }), chunkFrame({ content: 'answer' }, 'stop'), usageFrame(3, 2), DONE_FRAME],
    frameDelayMs: 300,
  });
  const client = new Anthropic({ baseURL: gateways[0]!.url, apiKey: 'x', maxRetries: 0 });
  const stream = client.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
  await new Promise((resolve) => setTimeout(resolve, 150));
  await routeTo('second', await currentRevision());
  const message = await stream.finalMessage();
  expect(message.content).toMatchObject([{ type: 'text', text: 'slow answer' }]);
  await eventually(async () => (await answerOf(gateways[0]!)) === 'from second', 'the next request using the new route');
});

it('Redis killed: both keep serving the last config, writes fail clearly, /ready tells; Redis back: writes work again', async () => {
  await redis.kill();
  for (const gateway of gateways) {
    await eventually(async () => ((await (await fetch(`${gateway.url}/ready`)).json()) as { detail: string }).detail.includes('disconnected'), '/ready reporting it');
    expect(await answerOf(gateway)).toBe('from second');
  }
  const write = await routeTo('first', await currentRevision());
  expect(write.status).toBe(503);
  expect(((await write.json()) as { error: { message: string } }).error.message).toContain('nothing was written');

  await redis.restart(); // empty: the gateways restore the revision they serve (not the older file)
  for (const gateway of gateways) {
    await eventually(async () => !((await (await fetch(`${gateway.url}/ready`)).json()) as { detail: string }).detail.includes('disconnected'), 'reconnect');
  }
  const revision = await currentRevision();
  expect(await answerOf(gateways[1]!)).toBe('from second');
  expect((await routeTo('first', revision)).status).toBe(200);
  for (const gateway of gateways) await eventually(async () => (await answerOf(gateway)) === 'from first', 'the write after the restart');
});

import Anthropic from '@anthropic-ai/sdk';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
 * Issue 19 (1): keys made, listed, revoked and rotated through the admin API (KEYS-API.md) and
 * the CLI, stored in a real Redis shared by two gateway processes: a revocation on one replica
 * is a 401 on the other within a second; expiry; config keys keep working and cannot be revoked
 * there; in file mode the API and CLI say keys are read-only; no secret in any log or listing.
 */
jest.setTimeout(60_000);

const ADMIN = 'admin-token-for-tests';
let upstream: ScriptedUpstream;
let redis: RedisServer;
let gateways: GatewayProcess[] = [];
let fileGateway: GatewayProcess;
const secrets: string[] = [];

const configYaml = (url: string) => `providers:
  - { id: u, kind: llama-cpp, base_url: "${url}", messages: translate }
routes:
  - { match: "*", provider: u }
keys:
  - { id: from-file, sha256: "${keySha256('tk-config-file-key')}" }
`;

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  upstream.standing({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'ok' }, 'stop', 10, 5) });
  const config = writeTempConfig(configYaml(upstream.url));
  const env = { REDIS_URL: redis.url, TURNOUT_ADMIN_TOKEN: ADMIN, TURNOUT_MAX_KEYS: '6', TURNOUT_KEY_NAME_MAX_LENGTH: '20' };
  [gateways[0], gateways[1], fileGateway] = await Promise.all([
    startGatewayProcess(config, env),
    startGatewayProcess(config, env),
    startGatewayProcess(writeTempConfig(configYaml(upstream.url)), { TURNOUT_ADMIN_TOKEN: ADMIN }),
  ]);
});
afterAll(async () => {
  await Promise.all([...gateways, fileGateway].map((gateway) => gateway?.stop()));
  await upstream?.close();
  await redis?.stop();
});

interface KeyView {
  id: string;
  name: string;
  prefix?: string;
  source: string;
  created_at?: string;
  expires_at?: string;
  revoked_at?: string;
  last_used_at?: string;
}

async function admin(gateway: GatewayProcess, method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
}

async function create(body: Record<string, unknown>, gateway = gateways[0]!): Promise<{ key: KeyView; secret: string }> {
  const answer = await admin(gateway, 'POST', '/admin/keys', body);
  expect(answer.status).toBe(201);
  secrets.push(answer.json.secret);
  return answer.json;
}

const ask = (gateway: GatewayProcess, apiKey: string) =>
  new Anthropic({ baseURL: gateway.url, maxRetries: 0, apiKey }).messages
    .create({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
    .then(
      () => ({ status: 200, type: undefined as string | undefined, message: undefined as string | undefined }),
      (error: { status: number; error: { error: { type: string; message: string } } }) => ({ status: error.status, type: error.error?.error?.type, message: error.error?.error?.message }),
    );

/** Polls until the gateway answers `status` (or the deadline passes); returns how long it took. */
async function untilStatus(gateway: GatewayProcess, apiKey: string, status: number, withinMs: number) {
  const started = Date.now();
  for (;;) {
    const answer = await ask(gateway, apiKey);
    if (answer.status === status || Date.now() - started > withinMs) return { ...answer, tookMs: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const turnout = (args: string[], env: Record<string, string>) =>
  promisify(execFile)(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), ...args], { env: { PATH: process.env.PATH ?? '', ...env } }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

it('create returns the secret once (tk-…, prefix = its first 8 characters); list and show never hold the secret or its hash', async () => {
  const created = await create({ name: 'alice-laptop', owner: 'alice', models: ['claude-*'], requests_per_minute: 100, budget: { daily_tokens: 100000 } });
  expect(created.secret).toMatch(/^tk-[0-9A-Za-z]{32}$/);
  expect(created.key).toMatchObject({ name: 'alice-laptop', owner: 'alice', source: 'api', prefix: created.secret.slice(0, 8), models: ['claude-*'], requests_per_minute: 100, budget: { daily_tokens: 100000 } });
  expect(created.key.id).toMatch(/^key_[0-9a-f]{12}$/);
  const list = await admin(gateways[1]!, 'GET', '/admin/keys');
  expect(list.status).toBe(200);
  expect(list.json.data.map((key: KeyView) => [key.name, key.source])).toEqual(expect.arrayContaining([['from-file', 'config'], ['alice-laptop', 'api']]));
  const shown = await admin(gateways[1]!, 'GET', `/admin/keys/${created.key.id}`);
  expect(shown.json).toMatchObject({ id: created.key.id, name: 'alice-laptop', created_at: created.key.created_at });
  for (const text of [list.text, shown.text]) {
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain(keySha256(created.secret));
    expect(text).not.toContain('sha256');
  }
  expect((await admin(gateways[0]!, 'GET', '/admin/keys/key_000000000000')).json.error.type).toBe('not_found_error');
});

it('a new key works on both replicas; revoked on one, the other answers 401 "revoked" within a second', async () => {
  const { key, secret } = await create({ name: 'bob-ci' });
  expect((await untilStatus(gateways[0]!, secret, 200, 0)).status).toBe(200);
  expect((await untilStatus(gateways[1]!, secret, 200, 1_000)).status).toBe(200);
  const revoked = await admin(gateways[0]!, 'POST', `/admin/keys/${key.id}/revoke`);
  expect(revoked.status).toBe(200);
  expect(revoked.json.revoked_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  expect(revoked.json.last_used_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  const onOther = await untilStatus(gateways[1]!, secret, 401, 1_000);
  expect(onOther).toMatchObject({ status: 401, type: 'authentication_error', message: `key bob-ci was revoked at ${revoked.json.revoked_at}` });
  expect(onOther.tookMs).toBeLessThan(1_000);
  expect(await ask(gateways[0]!, secret)).toMatchObject({ status: 401, message: expect.stringContaining('revoked') });
});

it('rotate: a new secret for the same id; the old one is refused at once', async () => {
  const { key, secret } = await create({ name: 'carol' });
  const rotated = await admin(gateways[0]!, 'POST', `/admin/keys/${key.id}/rotate`);
  expect(rotated.status).toBe(200);
  secrets.push(rotated.json.secret);
  expect(rotated.json.key).toMatchObject({ id: key.id, name: 'carol', prefix: rotated.json.secret.slice(0, 8) });
  expect(rotated.json.secret).not.toBe(secret);
  expect(await ask(gateways[0]!, secret)).toMatchObject({ status: 401, message: 'invalid x-api-key' });
  expect(await ask(gateways[0]!, rotated.json.secret)).toMatchObject({ status: 200 });
  expect((await untilStatus(gateways[1]!, secret, 401, 1_000)).status).toBe(401);
});

it('an expired key is a 401 that says it expired, and when', async () => {
  const expiresAt = new Date(Date.now() + 1_500).toISOString();
  const { secret } = await create({ name: 'short-lived', expires_at: expiresAt });
  expect(await ask(gateways[0]!, secret)).toMatchObject({ status: 200 });
  await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
  expect(await ask(gateways[1]!, secret)).toMatchObject({ status: 401, type: 'authentication_error', message: `key short-lived expired at ${expiresAt}` });
});

it('config-file keys keep working and cannot be revoked or rotated through the API (409)', async () => {
  expect(await ask(gateways[1]!, 'tk-config-file-key')).toMatchObject({ status: 200 });
  for (const action of ['revoke', 'rotate']) {
    const refused = await admin(gateways[0]!, 'POST', `/admin/keys/from-file/${action}`);
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toContain('comes from the config file');
  }
});

it('bad bodies are 400s naming the field; names are unique among live keys; TURNOUT_KEY_NAME_MAX_LENGTH and TURNOUT_MAX_KEYS hold', async () => {
  const cases: Array<[unknown, string]> = [
    [{}, 'name:'],
    [{ name: 'x'.repeat(21) }, 'TURNOUT_KEY_NAME_MAX_LENGTH'],
    [{ name: 'has space' }, 'name:'],
    [{ name: 'ok', requests_per_minute: 0 }, 'requests_per_minute:'],
    [{ name: 'ok', expires_at: 'tomorrow' }, 'expires_at:'],
    [{ name: 'ok', expires_at: '2001-01-01T00:00:00Z' }, 'expires_at: must be in the future'],
    [{ name: 'ok', budget: { daily_tokens: -1 } }, 'budget.daily_tokens'],
    [{ name: 'ok', secret: 'mine' }, 'secret: unknown field'],
    [{ name: 'ok', models: Array(101).fill('a') }, 'models:'],
  ];
  for (const [body, message] of cases) {
    const answer = await admin(gateways[0]!, 'POST', '/admin/keys', body);
    expect([answer.status, answer.json.error.type]).toEqual([400, 'invalid_request_error']);
    expect(answer.json.error.message).toContain(message);
  }
  expect((await admin(gateways[0]!, 'POST', '/admin/keys', { name: 'alice-laptop' })).status).toBe(409);
  expect((await admin(gateways[0]!, 'POST', '/admin/keys', { name: 'from-file' })).status).toBe(409);
  // 4 stored so far (alice-laptop, bob-ci, carol, short-lived); TURNOUT_MAX_KEYS=6.
  await create({ name: 'fifth' });
  await create({ name: 'sixth' });
  const over = await admin(gateways[0]!, 'POST', '/admin/keys', { name: 'seventh' });
  expect(over.status).toBe(409);
  expect(over.json.error.message).toContain('TURNOUT_MAX_KEYS');
});

it('file mode: the API and the CLI say keys are read-only (409); the file\'s keys work', async () => {
  const refused = await admin(fileGateway, 'POST', '/admin/keys', { name: 'nope' });
  expect(refused.status).toBe(409);
  expect(refused.json.error.message).toContain('keys are read-only in file mode');
  const cli = await turnout(['keys', 'create', '--name', 'nope', '--url', fileGateway.url], { TURNOUT_ADMIN_TOKEN: ADMIN });
  expect(cli.code).toBe(1);
  expect(cli.stderr).toContain('keys are read-only in file mode');
  expect((await admin(fileGateway, 'GET', '/admin/keys')).json.data).toEqual([expect.objectContaining({ id: 'from-file', source: 'config' })]);
  expect(await ask(fileGateway, 'tk-config-file-key')).toMatchObject({ status: 200 });
});

it('the CLI: keys create shows the API\'s refusal; list, show, rotate (secret printed once) and revoke go through the admin API', async () => {
  // The store is full (TURNOUT_MAX_KEYS=6): the CLI prints the API's 409; rotate prints a secret once.
  const env = { TURNOUT_ADMIN_TOKEN: ADMIN, TURNOUT_URL: gateways[1]!.url };
  const full = await turnout(['keys', 'create', '--name', 'dave', '--models', 'claude-*,gpt-*', '--rpm', '5'], env);
  expect(full.code).toBe(1);
  expect(full.stderr).toContain('TURNOUT_MAX_KEYS');
  const list = await turnout(['keys', 'list'], env);
  expect(list.code).toBe(0);
  expect(list.stdout).toMatch(/alice-laptop/);
  expect(list.stdout).toMatch(/from-file .* config/);
  const id = /^(key_[0-9a-f]{12}) +fifth /m.exec(list.stdout)?.[1] as string;
  expect(id).toBeDefined();
  const rotated = await turnout(['keys', 'rotate', id], env);
  const secret = /secret \(shown once; give it to its user\): (tk-[0-9A-Za-z]{32})/.exec(rotated.stdout)?.[1] as string;
  secrets.push(secret);
  expect(await ask(gateways[1]!, secret)).toMatchObject({ status: 200 });
  expect(JSON.parse((await turnout(['keys', 'show', id], env)).stdout)).toMatchObject({ id, name: 'fifth' });
  expect(JSON.parse((await turnout(['keys', 'revoke', id], env)).stdout).revoked_at).toBeDefined();
  expect((await untilStatus(gateways[0]!, secret, 401, 1_000)).message).toContain('key fifth was revoked');
});

it('no secret appears in any gateway log', () => {
  expect(secrets.length).toBeGreaterThan(5);
  for (const gateway of [...gateways, fileGateway]) {
    for (const secret of secrets) expect(gateway.output()).not.toContain(secret);
  }
});

it('Redis down since the start and no config keys: model requests are refused (503), never open; once Redis answers, they are served', async () => {
  const down = await startRedisServer();
  await down.stop();
  const config = writeTempConfig(`providers:
  - { id: u, kind: llama-cpp, base_url: "${upstream.url}", messages: translate }
routes:
  - { match: "*", provider: u }
`);
  const gateway = await startGatewayProcess(config, { REDIS_URL: down.url });
  try {
    const refused = await ask(gateway, 'anything');
    expect(refused).toMatchObject({ status: 503, message: 'the gateway keys could not be read from Redis yet; refusing rather than running open' });
    await down.restart();
    expect((await untilStatus(gateway, 'anything', 200, 10_000)).status).toBe(200);
  } finally {
    await gateway.stop();
    await down.stop();
  }
});

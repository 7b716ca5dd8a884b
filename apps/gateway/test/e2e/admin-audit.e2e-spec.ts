import { execFile } from 'node:child_process';
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

/**
 * Issue 19 (3): every successful admin write (config, providers, routes, keys) is recorded with
 * who, what and when, shared by the replicas through Redis, listed newest first by
 * `GET /admin/audit` and `turnout audit`, bounded by TURNOUT_AUDIT_MAX_ENTRIES; a refused write
 * is not recorded, and no secret is.
 */
jest.setTimeout(60_000);

const ADMIN = 'admin-token-for-audit';
let upstream: ScriptedUpstream;
let redis: RedisServer;
let gateways: GatewayProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  const config = writeTempConfig(`providers:
  - { id: u, kind: llama-cpp, base_url: "${upstream.url}", messages: translate }
routes:
  - { match: "*", provider: u }
`);
  const env = { REDIS_URL: redis.url, TURNOUT_ADMIN_TOKEN: ADMIN, TURNOUT_AUDIT_MAX_ENTRIES: '5' };
  gateways = await Promise.all([startGatewayProcess(config, env), startGatewayProcess(config, env)]);
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await upstream?.close();
  await redis?.stop();
});

async function admin(gateway: GatewayProcess, method: string, path: string, body?: unknown, actor?: string): Promise<{ status: number; json: any; text: string }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(actor === undefined ? {} : { 'x-turnout-actor': actor }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
}

/** Audit entries are written after the answer: wait until `count` are listed. */
async function auditWhen(gateway: GatewayProcess, count: number, limit = 5) {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const answer = await admin(gateway, 'GET', `/admin/audit?limit=${limit}`);
    if (answer.json.data.length >= count || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('key and config writes on either replica are listed on both, newest first, with who, what and when; never the secret', async () => {
  const before = new Date().toISOString();
  const created = await admin(gateways[0]!, 'POST', '/admin/keys', { name: 'audited' }, 'alice');
  expect(created.status).toBe(201);
  const id = created.json.key.id as string;
  expect((await admin(gateways[1]!, 'POST', `/admin/keys/${id}/rotate`, undefined, 'bob')).status).toBe(200);
  expect((await admin(gateways[0]!, 'POST', `/admin/keys/${id}/revoke`)).status).toBe(200);
  const provider = { kind: 'llama-cpp', base_url: upstream.url, messages: 'translate' };
  expect((await admin(gateways[1]!, 'PUT', '/admin/providers/second', provider, 'carol')).status).toBe(200);
  // A refused write (validation) changes nothing and is not recorded.
  expect((await admin(gateways[0]!, 'POST', '/admin/keys', { name: 'bad name' }, 'mallory')).status).toBe(400);
  const audit = await auditWhen(gateways[1]!, 4);
  expect(audit.status).toBe(200);
  expect(audit.json.data.map((entry: { actor: string; action: string; target: string }) => [entry.actor, entry.action, entry.target])).toEqual([
    ['carol', 'provider.put', 'second'],
    ['admin', 'keys.revoke', id],
    ['bob', 'keys.rotate', id],
    ['alice', 'keys.create', id],
  ]);
  expect(audit.json.data[3].detail).toEqual({ name: 'audited' });
  for (const entry of audit.json.data) {
    expect(entry.at >= before).toBe(true);
    expect(entry.at <= new Date().toISOString()).toBe(true);
  }
  expect(audit.text).not.toContain(created.json.secret);
  expect(audit.text).not.toContain('tk-');
});

it('the list is bounded by TURNOUT_AUDIT_MAX_ENTRIES (oldest dropped); limit is checked', async () => {
  const { json } = await admin(gateways[0]!, 'GET', '/admin/config');
  const replaced = await admin(gateways[0]!, 'PUT', '/admin/config', json.config, 'dave');
  expect(replaced.status).toBe(200);
  expect((await admin(gateways[0]!, 'DELETE', '/admin/providers/second', undefined, 'erin')).status).toBe(200);
  const audit = await auditWhen(gateways[0]!, 5);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const settled = await admin(gateways[0]!, 'GET', '/admin/audit?limit=5');
  expect(settled.json.data.map((entry: { action: string }) => entry.action)).toEqual(['provider.delete', 'config.replace', 'provider.put', 'keys.revoke', 'keys.rotate']);
  expect(settled.json.data[1].target).toBe(`config revision ${replaced.json.revision}`);
  expect(audit.status).toBe(200);
  for (const limit of ['0', '6', 'x']) {
    const answer = await admin(gateways[0]!, 'GET', `/admin/audit?limit=${limit}`);
    expect([answer.status, answer.json.error.message]).toEqual([400, 'limit: an integer from 1 to 5 (TURNOUT_AUDIT_MAX_ENTRIES)']);
  }
});

it('turnout audit prints the same list', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), 'audit', '--limit', '2'], {
    env: { PATH: process.env.PATH ?? '', TURNOUT_ADMIN_TOKEN: ADMIN, TURNOUT_URL: gateways[1]!.url },
  });
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\S+ +erin +provider\.delete +second$/);
  expect(lines[1]).toMatch(/ dave +config\.replace +config revision \d+$/);
});

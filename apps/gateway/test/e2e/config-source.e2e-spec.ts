import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { answerBackgroundTraffic, REPO_ROOT, ScriptedUpstream, startGatewayProcess, startRedisServer, writeTempConfig, type GatewayProcess, type RedisServer } from '@turnout/testing';

/**
 * Issue 18 item 3, the config source made explicit: with REDIS_URL, Redis is the source and the
 * file seeds it only while it is empty; a file that differs is named in one warning with both
 * revisions and the commands that reconcile them; PUT /admin/config takes what GET returns.
 */
jest.setTimeout(60_000);

const TOKEN = 'admin-secret';
const run = promisify(execFile);
let redis: RedisServer;
let upstream: ScriptedUpstream;
const gateways: GatewayProcess[] = [];

const fileWithRoute = (match: string) =>
  writeTempConfig(`providers:\n  - { id: u, kind: llama-cpp, base_url: "${upstream.url}", messages: translate }\nroutes:\n  - { match: "${match}", provider: u }\n`);

async function start(configPath: string): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess(configPath, { REDIS_URL: redis.url, TURNOUT_ADMIN_TOKEN: TOKEN });
  gateways.push(gateway);
  return gateway;
}

function admin(gateway: GatewayProcess, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}/admin/config`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await upstream?.close();
  await redis?.stop();
});

interface Envelope {
  schema_version: number;
  revision: number;
  config: { routes: Array<{ match: string; provider: string }> };
}

it('the file seeds an empty Redis; what GET returns can be PUT back, with its revision checked', async () => {
  const gateway = await start(fileWithRoute('seeded-*'));
  expect(gateway.output()).toContain('redis was empty; seeded from');
  const read = (await (await admin(gateway, 'GET')).json()) as Envelope;
  expect(read).toMatchObject({ schema_version: 1, revision: 1, config: { routes: [{ match: 'seeded-*', provider: 'u' }] } });

  // Edit what GET gave and send it back whole: the envelope's revision is the one it was based on.
  const edited = { ...read, config: { ...read.config, routes: [{ match: 'edited-*', provider: 'u' }] } };
  const put = await admin(gateway, 'PUT', edited);
  expect(put.status).toBe(200);
  expect(((await put.json()) as Envelope).revision).toBe(2);

  // The same envelope again is stale now: 409, nothing written.
  const stale = await admin(gateway, 'PUT', edited);
  expect(stale.status).toBe(409);
  expect(((await stale.json()) as { type: string; error: { type: string } }).type).toBe('error');
  // An If-Match that contradicts the envelope's revision is a 409 too.
  const contradicting = await admin(gateway, 'PUT', { ...edited, revision: 2 }, { 'if-match': '"1"' });
  expect(contradicting.status).toBe(409);
  expect(((await (await admin(gateway, 'GET')).json()) as Envelope).revision).toBe(2);
});

it('a file that differs from Redis does not apply at start, and one warning names both revisions and the fix', async () => {
  const file = fileWithRoute('from-the-file-*');
  const gateway = await start(file);
  const warnings = gateway.output().split('\n').filter((line) => line.includes('differs from redis revision'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(`${file} (no revision header: never exported) differs from redis revision 2, which is in force`);
  expect(warnings[0]).toContain(`turnout config push ${file}`);
  expect(warnings[0]).toContain(`turnout config pull > ${file}`);
  expect(((await (await admin(gateway, 'GET')).json()) as Envelope).config.routes[0]?.match).toBe('edited-*');

  // The two commands it names work: pull writes Redis's config, push makes the file live.
  const cli = (...args: string[]) => run(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), ...args, '--url', gateway.url, '--token', TOKEN], { cwd: REPO_ROOT });
  const pulled = await cli('config', 'pull');
  expect(pulled.stdout.split('\n')[0]).toBe('# turnout config revision: 2');
  expect(pulled.stdout).toContain('edited-*');
  const pushed = await cli('config', 'push', file, '--if-match', '2');
  expect(pushed.stdout).toContain('now revision 3');
  expect(((await (await admin(gateway, 'GET')).json()) as Envelope).config.routes[0]?.match).toBe('from-the-file-*');
});

it('a file equal to what Redis holds starts without the warning', async () => {
  const gateway = await start(fileWithRoute('from-the-file-*'));
  expect(gateway.output()).toContain('revision 3');
  expect(gateway.output()).not.toContain('differs from redis');
});

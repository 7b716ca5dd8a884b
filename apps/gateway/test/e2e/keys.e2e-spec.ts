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
 * Gateway API keys (issue 6) through the official SDK: stored hashed, accepted as x-api-key or
 * Bearer, model globs (403), requests per minute enforced across two gateways sharing Redis
 * (429 with retry-after), and upstream credentials never echoed.
 */
jest.setTimeout(30_000);

let upstream: ScriptedUpstream;
let redis: RedisServer;
let gateways: GatewayProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  upstream.standing({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'ok' }, 'stop', 10, 5) });
  const config = writeTempConfig(`providers:
  - { id: u, kind: llama-cpp, base_url: "${upstream.url}", messages: translate, api_key_env: UPSTREAM_API_KEY }
routes:
  - { match: "*", provider: u }
keys:
  - { id: alice, sha256: "${keySha256('tk-alice-key')}" }
  - { id: haiku-only, sha256: "${keySha256('tk-haiku-key')}", models: ["claude-*haiku*"] }
  - { id: limited, sha256: "${keySha256('tk-limited-key')}", requests_per_minute: 3 }
`);
  const env = { REDIS_URL: redis.url, UPSTREAM_API_KEY: 'upstream-secret-value' };
  gateways = await Promise.all([startGatewayProcess(config, env), startGatewayProcess(config, env)]);
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await upstream?.close();
  await redis?.stop();
});

const client = (options: { apiKey?: string; authToken?: string }, gateway = gateways[0]!) =>
  options.authToken !== undefined
    ? new Anthropic({ baseURL: gateway.url, maxRetries: 0, authToken: options.authToken })
    : new Anthropic({ baseURL: gateway.url, maxRetries: 0, apiKey: options.apiKey as string });

/** Raw requests for what the SDK refuses to send: no credential at all, or both headers. */
const raw = (headers: Record<string, string>) =>
  fetch(`${gateways[0]!.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
  });
const ask = (c: Anthropic, model = 'claude-sonnet-4-6') => c.messages.create({ model, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as { status: number; headers: Headers; error: { error: { type: string; message: string } } });

it('a known key works as x-api-key and as Bearer (Claude Code sends either, or both)', async () => {
  await expect(ask(client({ apiKey: 'tk-alice-key' }))).resolves.toMatchObject({ content: [{ text: 'ok' }] });
  await expect(ask(client({ authToken: 'tk-alice-key' }))).resolves.toMatchObject({ content: [{ text: 'ok' }] });
  expect((await raw({ 'x-api-key': 'stale', authorization: 'Bearer tk-alice-key' })).status).toBe(200);
});

it('no key or an unknown one: 401 authentication_error, and nothing reaches the upstream', async () => {
  // A queued reply that must still be waiting after the refused requests.
  upstream.expect({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'for alice' }, 'stop') });
  const missing = await raw({});
  expect(missing.status).toBe(401);
  expect(((await missing.json()) as { error: unknown }).error).toEqual({ type: 'authentication_error', message: 'x-api-key header is required' });
  const wrong = await failure(ask(client({ apiKey: 'tk-nope' })));
  expect(wrong?.status).toBe(401);
  expect(wrong?.error.error).toEqual({ type: 'authentication_error', message: 'invalid x-api-key' });
  expect(upstream.pending).toBe(1);
  await expect(ask(client({ apiKey: 'tk-alice-key' }))).resolves.toMatchObject({ content: [{ text: 'for alice' }] });
  expect(upstream.pending).toBe(0);
});

it('a key limited to some models: 403 permission_error for the others, and /v1/models shows only its own', async () => {
  const haiku = client({ apiKey: 'tk-haiku-key' });
  await expect(ask(haiku, 'claude-haiku-4-5')).resolves.toBeTruthy();
  const forbidden = await failure(ask(haiku, 'claude-opus-4-1'));
  expect(forbidden?.status).toBe(403);
  expect(forbidden?.error.error).toEqual({ type: 'permission_error', message: 'key haiku-only may not use model "claude-opus-4-1"' });
});

it('requests_per_minute holds across two gateways sharing Redis: the 4th request overall is a 429 with retry-after', async () => {
  const results = [];
  for (let i = 0; i < 4; i++) results.push(await failure(ask(client({ apiKey: 'tk-limited-key' }, gateways[i % 2]!))));
  expect(results.slice(0, 3)).toEqual([undefined, undefined, undefined]);
  expect(results[3]?.status).toBe(429);
  expect(results[3]?.error.error.type).toBe('rate_limit_error');
  const retryAfter = Number(results[3]?.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  // Other keys are not affected.
  await expect(ask(client({ apiKey: 'tk-alice-key' }, gateways[1]!))).resolves.toBeTruthy();
});

it('the upstream gets the provider key, never the client key, and no log line holds either', async () => {
  upstream.expect({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'recorded' }, 'stop') });
  await ask(client({ apiKey: 'tk-alice-key' }));
  const sent = upstream.requests.at(-1)!;
  expect(sent.headers.authorization).toBe('Bearer upstream-secret-value');
  expect(JSON.stringify(sent.headers)).not.toContain('tk-alice-key');
  for (const gateway of gateways) {
    expect(gateway.output()).not.toContain('tk-alice-key');
    expect(gateway.output()).not.toContain('upstream-secret-value');
    expect(gateway.output()).toContain('"key":"alice"');
  }
});

it('turnout keys new prints a key once and an entry that stores only its hash', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), 'keys', 'new', '--id', 'carol']);
  const key = /key \(shown once; give it to its user\): (tk-[0-9A-Za-z]{32})/.exec(stdout)?.[1] as string;
  expect(key).toBeDefined();
  expect(stdout).toContain(`  - id: carol\n    sha256: ${keySha256(key)}`);
});

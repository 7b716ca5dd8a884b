import { keySha256, answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, startRedisServer, writeTempConfig, type GatewayProcess, type RedisServer } from '@turnout/testing';
import { completion } from '../../apps/gateway/test/e2e/openai-chunks';

/**
 * Issue 15, case 6, against the built gateway and a real redis-server that the suite pauses
 * (SIGSTOP) and resumes (SIGCONT, always, in `finally`): every Redis command times out (250 ms
 * by default); the rate limiter follows on_store_error (open admits, closed refuses), counted
 * in a metric; affinity and in-flight counts fall back to local picks; an admin write answers
 * 503 within the timeout and is not applied when Redis comes back.
 */
const KEY = 'tk-limited-key';
const REQUEST = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 8,
  messages: [{ role: 'user', content: 'hi' }],
  metadata: { user_id: 'user_abc_account__session_0f3c2a1b-aaaa-bbbb-cccc-123456789abc' },
});

function configYaml(upstreamUrl: string): string {
  return `providers:
  - { id: a, kind: llama-cpp, base_url: ${upstreamUrl}, messages: translate, retries: { max_attempts: 1 } }
  - { id: b, kind: llama-cpp, base_url: ${upstreamUrl}, messages: translate, retries: { max_attempts: 1 } }
routes:
  - match: "*"
    targets: [{ provider: a, model: m }, { provider: b, model: m }]
    balance: least-in-flight
    affinity: session
keys:
  - { id: limited, sha256: "${keySha256(KEY)}", requests_per_minute: 1000 }
`;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

describe('hostile 6: a stalled Redis', () => {
  let redis: RedisServer | undefined;
  let upstream: ScriptedUpstream | undefined;
  let open: GatewayProcess | undefined;
  let closed: GatewayProcess | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
    upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
    upstream.standing({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'ok' }, 'stop') });
    const config = writeTempConfig(configYaml(upstream.url));
    const env = { REDIS_URL: redis.url, TURNOUT_ADMIN_TOKEN: 'admin-token-123' };
    open = await startGatewayProcess(config, env);
    closed = await startGatewayProcess(config, { ...env, TURNOUT_RATE_LIMIT_ON_STORE_ERROR: 'closed' });
  }, 30_000);
  afterAll(async () => {
    redis?.resume();
    await open?.stop();
    await closed?.stop();
    await upstream?.close();
    await redis?.stop();
  });

  const ask = (gateway: GatewayProcess) =>
    fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: REQUEST }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });
  const admin = (gateway: GatewayProcess, method: string, body?: unknown) =>
    fetch(`${gateway.url}/admin/config`, {
      method,
      headers: { authorization: 'Bearer admin-token-123', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('requests keep being served, an admin write answers 503 in time and is never applied', async () => {
    const g = open as GatewayProcess;
    const r = redis as RedisServer;
    expect(await ask(g)).toBe(200);
    // One write while Redis is well: the document to change, and the store learns Redis's clock.
    const current = (await (await admin(g, 'GET')).json()) as { revision: number; config: Record<string, unknown> };
    const renamed = (label: string) => ({ ...current.config, routes: [{ ...(current.config.routes as object[])[0], name: label }] });
    const first = await admin(g, 'PUT', renamed('before-the-stall'));
    expect(first.status).toBe(200);
    const before = ((await first.json()) as { revision: number }).revision;

    r.pause();
    try {
      const served = await timed(() => ask(g));
      expect(served.value).toBe(200);
      expect(served.ms).toBeLessThan(3_000);

      const write = await timed(() => admin(g, 'PUT', renamed('during-the-stall')));
      expect(write.value.status).toBe(503);
      expect(write.ms).toBeLessThan(1_500);

      expect(await ask(closed as GatewayProcess)).toBe(429);
    } finally {
      r.resume();
    }
    // Whatever was queued in the socket runs now: the write must refuse itself.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = (await (await admin(g, 'GET')).json()) as { revision: number; config: { routes: Array<{ name?: string }> } };
    expect(after.revision).toBe(before);
    expect(after.config.routes[0]?.name).toBe('before-the-stall');

    const metrics = await (await fetch(`${g.url}/metrics`)).text();
    expect(metrics).toMatch(/^turnout_rate_limit_store_errors_total\{policy="open"\} [1-9]/m);
    expect(await (await fetch(`${(closed as GatewayProcess).url}/metrics`)).text()).toMatch(/^turnout_rate_limit_store_errors_total\{policy="closed"\} [1-9]/m);
    expect((g.output().match(/rate limits: redis did not answer/g) ?? []).length).toBe(1);
    // And once Redis answers again, everything works as before.
    expect(await ask(g)).toBe(200);
    expect(await ask(closed as GatewayProcess)).toBe(200);
  }, 30_000);
});

import { keySha256 } from '@turnout/testing';
import { completion } from '../../apps/gateway/test/e2e/openai-chunks';
import { startHarness, stopHarness, type Harness } from '../../apps/gateway/test/e2e/gateway-harness';

/**
 * Issue 15, case 1, against the built gateway: 10,000 requests with distinct long model names
 * (wrong keys, unknown models, malformed bodies, and routed ones) grow /metrics by less than
 * 50 KB, and log lines never echo a client's 10k-character name whole.
 */
const KEY = 'tk-hostile-key';
const BODY = (model: string) => JSON.stringify({ model, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });

async function inParallel(count: number, width: number, task: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await task(next++);
  }));
}

describe('hostile 1: metric labels and log fields stay bounded', () => {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(`keys:\n  - { id: hostile, sha256: "${keySha256(KEY)}" }\n`);
    harness.upstream.standing({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'ok' }, 'stop') });
  }, 30_000);
  afterAll(() => stopHarness(harness));

  it('10,000 distinct model names grow /metrics by less than 50 KB', async () => {
    const h = harness as Harness;
    const post = (model: string, key: string, body = BODY(model)) =>
      fetch(`${h.gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      });
    const scrape = async () => (await (await fetch(`${h.gateway.url}/metrics`)).text()).replace(/^(process|nodejs)_.*$/gm, '');
    const name = (kind: string, i: number) => `${kind}-${i}-${'n'.repeat(200)}`;
    // One of each kind first, so every family's header and the `other` series exist before measuring.
    expect(await post(name('claude-routed', -1), KEY)).toBe(200);
    expect(await post(name('wrong-key', -1), 'tk-wrong')).toBe(401);
    expect(await post(name('unrouted', -1), KEY)).toBe(404);
    const before = (await scrape()).length;

    const statuses = new Map<number, number>();
    await inParallel(10_000, 32, async (i) => {
      const kind = i % 4;
      const status =
        kind === 0
          ? await post(name('wrong-key', i), 'tk-wrong')
          : kind === 1
            ? await post(name('unrouted', i), KEY)
            : kind === 2
              ? await post(name('claude-malformed', i), KEY, JSON.stringify({ model: name('claude-malformed', i), messages: [] }))
              : await post(name('claude-routed', i), KEY);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    expect(Object.fromEntries(statuses)).toEqual({ 401: 2_500, 404: 2_500, 400: 2_500, 200: 2_500 });

    const after = await scrape();
    expect(after.length - before).toBeLessThan(50 * 1024);
    const labels = new Set([...after.matchAll(/^turnout_requests_total\{model="([^"]*)"/gm)].map((m) => m[1]));
    expect([...labels].sort()).toEqual(['claude-*', 'other']);
    expect(after).toContain('turnout_auth_refusals_total{status="401"} 2501');
  }, 120_000);

  it('a 10,000-character model name on a refused request is cut in the log line', async () => {
    // A wrong key is refused before the body is read (issue 15 case 9), so the body's model is
    // never seen; a valid key with a name over the length limit is refused after reading it.
    const h = harness as Harness;
    const model = `claude-${'z'.repeat(10_000)}`;
    const response = await fetch(`${h.gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: BODY(model) });
    expect(response.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const line = h.gateway.output().split('\n').find((l) => l.includes('claude-zzzz'));
    expect(line).toBeDefined();
    expect((line as string).length).toBeLessThan(1_000);
  });
});

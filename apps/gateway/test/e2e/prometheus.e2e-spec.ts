import { startPrometheus, type PrometheusServer } from '@turnout/testing';
import { startHarness, stopHarness, type Harness } from './gateway-harness';
import { chunkFrame, completion, DONE_FRAME, usageFrame } from './openai-chunks';

/**
 * The real thing: Debian's Prometheus scrapes a built gateway every second while the official
 * SDK sends traffic, and the per-model quantiles and token rates an ops dashboard plots come
 * back through Prometheus's own HTTP API.
 */
jest.setTimeout(60_000);

let h: Harness;
let prometheus: PrometheusServer;
beforeAll(async () => {
  h = await startHarness('', { TURNOUT_METRICS_TOKEN: 'scrape-token' });
  prometheus = await startPrometheus(new URL(h.gateway.url).host, 'scrape-token');
});
afterAll(async () => {
  await prometheus?.stop();
  await stopHarness(h);
});

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} never held; last value ${JSON.stringify(last)}`);
}

it('Prometheus scrapes per-model latency quantiles, TTFT and token rates from /metrics', async () => {
  h.upstream.standing({ path: '/v1/chat/completions' }).respond({
    frames: [chunkFrame({ role: 'assistant', content: null }), chunkFrame({ content: 'hello' }), chunkFrame({ content: ' there' }, 'stop'), usageFrame(30, 7), DONE_FRAME],
    frameDelayMs: 5,
  });
  // Prometheus finds its targets a few seconds after it is ready; traffic starts once it scrapes.
  await eventually(() => prometheus.query('up{job="turnout"}'), (result) => result[0]?.value[1] === '1', 'the gateway scraped');
  // Traffic over several scrapes, so rate() sees counters move between samples.
  const until = Date.now() + 4_000;
  let sent = 0;
  while (Date.now() < until) {
    const model = sent % 2 === 0 ? 'claude-sonnet-4-6' : 'claude-haiku-4-5';
    const stream = h.client.messages.stream({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    await stream.finalMessage();
    sent++;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(sent).toBeGreaterThan(10);

  const latency = await eventually(
    () => prometheus.query('histogram_quantile(0.5, sum by (le, model) (rate(turnout_request_duration_seconds_bucket[15s])))'),
    (result) => result.length === 2 && result.every((sample) => Number(sample.value[1]) > 0),
    'per-model p50 latency',
  );
  // Glob-routed names are labelled by their route's rule: a label never takes a value the client chose.
  expect(latency.map((sample) => sample.metric.model).sort()).toEqual(['claude-*', 'claude-*haiku*']);

  const ttft = await eventually(
    () => prometheus.query('histogram_quantile(0.95, sum by (le, model, provider) (rate(turnout_time_to_first_token_seconds_bucket[15s])))'),
    (result) => result.length === 2 && result.every((sample) => Number(sample.value[1]) > 0),
    'per-model p95 time to first token',
  );
  expect(ttft.every((sample) => sample.metric.provider === 'scripted')).toBe(true);

  const tokens = await eventually(
    () => prometheus.query('sum by (model) (rate(turnout_tokens_total{type="output"}[15s]))'),
    (result) => result.length === 2 && result.every((sample) => Number(sample.value[1]) > 0),
    'per-model output token rate',
  );
  expect(tokens).toHaveLength(2);

  // Every request counted once, as completed (a scrape or two after the last one).
  await eventually(
    () => prometheus.query('sum(turnout_requests_total{outcome="completed"})'),
    (result) => Number(result[0]?.value[1]) === sent,
    `${sent} completed requests`,
  );
});

it('/metrics refuses a scrape without the token', async () => {
  const response = await fetch(`${h.gateway.url}/metrics`);
  expect(response.status).toBe(401);
  expect(((await response.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
});

it('a unary request is counted with its reported tokens', async () => {
  const inputTokens = (text: string) => Number(/^turnout_tokens_total\{model="claude-\*",provider="scripted",type="input",api="messages"\} (\d+)$/m.exec(text)?.[1] ?? 0);
  const scrape = async () => (await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: 'Bearer scrape-token' } })).text();
  const before = inputTokens(await scrape());
  h.upstream.expect({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'ok' }, 'stop', 11, 3) });
  await h.client.messages.create({ model: 'claude-opus-4-1', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] });
  const text = await scrape();
  expect(text).toContain('turnout_requests_total{model="claude-*",provider="scripted",mode="translate",stream="false",outcome="completed",api="messages"} 1');
  expect(inputTokens(text) - before).toBe(11);
  expect(text).toMatch(/turnout_gateway_overhead_seconds_count\{mode="translate"\} \d+/);
});

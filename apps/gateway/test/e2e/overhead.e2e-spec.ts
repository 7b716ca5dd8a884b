import { request } from 'undici';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';
import { completion } from './openai-chunks';

/**
 * `turnout_gateway_overhead_seconds` is Turnout's own time (issue 18): a retry back-off and a
 * wait for a provider slot are not, and go to their own histograms instead.
 */
jest.setTimeout(30_000);

let upstream: ScriptedUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  const config = writeTempConfig(`providers:
  - { id: flaky, kind: llama-cpp, base_url: "${upstream.url}", messages: translate, retries: { max_attempts: 2, base_delay_ms: 10 } }
  - { id: narrow, kind: llama-cpp, base_url: "${upstream.url}", messages: translate, retries: { max_attempts: 1 }, limits: { max_in_flight: 1, max_queue: 4, max_wait_ms: 10000 } }
routes:
  - { match: retried, provider: flaky }
  - { match: queued, provider: narrow }
`);
  gateway = await startGatewayProcess(config);
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

async function send(model: string): Promise<number> {
  const response = await request(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.body.text();
  return response.statusCode;
}

async function metric(name: string): Promise<number> {
  const text = await (await request(`${gateway.url}/metrics`)).body.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

it('leaves a 1 s retry-after back-off and a 0.6 s queue wait out of the overhead, and counts them in their own histograms', async () => {
  const chat = { method: 'POST', path: '/v1/chat/completions' };
  // retried: a 503 asking for 1 s, then the answer.
  upstream.expect(chat).respond({ status: 503, headers: { 'retry-after': '1' }, json: { error: { message: 'busy', type: 'server_error' } } });
  upstream.expect(chat).respond({ json: completion({ content: 'hello' }, 'stop') });
  expect(await send('retried')).toBe(200);

  // queued: one slot; the first holds it for 0.6 s while the second waits.
  upstream.expect(chat).respond({ delayMs: 600, json: completion({ content: 'one' }, 'stop') });
  upstream.expect(chat).respond({ json: completion({ content: 'two' }, 'stop') });
  const first = send('queued');
  await upstream.nextRequest(2);
  expect(await Promise.all([first, send('queued')])).toEqual([200, 200]);

  expect(await metric('turnout_gateway_overhead_seconds_count')).toBe(3);
  // Before this was measured apart, the three overheads summed to at least 1.6 s.
  expect(await metric('turnout_gateway_overhead_seconds_sum')).toBeLessThan(0.5);
  expect(await metric('turnout_retry_backoff_seconds_count')).toBe(1);
  expect(await metric('turnout_retry_backoff_seconds_sum')).toBeGreaterThanOrEqual(0.95);
  expect(await metric('turnout_queue_wait_seconds_sum')).toBeGreaterThanOrEqual(0.45);
});

import { Client, request } from 'undici';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';
import { completion } from './openai-chunks';

/**
 * `turnout serve --workers 2` (issue 18): a scrape of /metrics lands on one worker but counts
 * the requests every worker served (prom-client's AggregatorRegistry in the primary).
 */
jest.setTimeout(30_000);

const CONNECTIONS = 8;
const REQUESTS_PER_CONNECTION = 3;
let upstream: ScriptedUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  upstream.standing({ method: 'POST', path: '/v1/chat/completions' }).respond({ json: completion({ content: 'hello' }, 'stop') });
  const config = writeTempConfig(`providers:
  - { id: u, kind: llama-cpp, base_url: "${upstream.url}", messages: translate, retries: { max_attempts: 1 } }
routes:
  - { match: "*", provider: u }
`);
  gateway = await startGatewayProcess(config, { TURNOUT_WORKERS: '2', TURNOUT_SHUTDOWN_GRACE_MS: '2000' });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

function sampleOf(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

it('answers /metrics for both workers: requests served by each are all counted, from whichever worker scrapes', async () => {
  const pids = new Set<number>();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const client = new Client(gateway.url);
      try {
        const health = await client.request({ method: 'GET', path: '/health' });
        pids.add(((await health.body.json()) as { pid: number }).pid);
        for (let i = 0; i < REQUESTS_PER_CONNECTION; i++) {
          const response = await client.request({
            method: 'POST',
            path: '/v1/messages',
            headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
            body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
          });
          expect(response.statusCode).toBe(200);
          await response.body.text();
        }
      } finally {
        await client.close();
      }
    }),
  );
  expect(pids.size).toBe(2); // both workers served some of the connections

  // Several scrapes, on fresh connections, so both workers answer at least one of them.
  for (let i = 0; i < 4; i++) {
    const response = await request(`${gateway.url}/metrics`, { reset: true });
    expect(response.statusCode).toBe(200);
    const text = await response.body.text();
    expect(sampleOf(text, 'turnout_requests_total')).toBe(CONNECTIONS * REQUESTS_PER_CONNECTION);
    expect(sampleOf(text, 'turnout_request_duration_seconds_count')).toBe(CONNECTIONS * REQUESTS_PER_CONNECTION);
    // Gauges keep their meaning: the provider is up on every worker, the circuit closed on both.
    expect(text).toContain('turnout_provider_up{provider="u"} 1');
    expect(text).toContain('turnout_circuit_state{provider="u"} 0');
  }
});

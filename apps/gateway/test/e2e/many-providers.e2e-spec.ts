import { request } from 'undici';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';
import { completion } from './openai-chunks';

/**
 * Fifty providers (issue 18): the start-up probes run for all of them at once, and Node must not
 * warn about listeners piling up on one AbortSignal (MaxListenersExceededWarning), which an
 * operator reads as a leak.
 */
jest.setTimeout(30_000);

const PROVIDERS = 50;
let upstream: ScriptedUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  upstream.standing({ method: 'POST', path: '/v1/chat/completions' }).respond({ json: completion({ content: 'hello' }, 'stop') });
  const providers = Array.from({ length: PROVIDERS }, (_, i) => `  - { id: p${i}, kind: llama-cpp, base_url: "${upstream.url}", messages: auto }`);
  const routes = Array.from({ length: PROVIDERS }, (_, i) => `  - { match: "m${i}", provider: p${i} }`);
  gateway = await startGatewayProcess(writeTempConfig(`providers:\n${providers.join('\n')}\nroutes:\n${routes.join('\n')}\n`));
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

it('probes 50 providers at start without a MaxListenersExceededWarning, and serves each', async () => {
  // Every provider was probed before "listening on": the banner names their modes.
  expect(gateway.output()).toContain('providers (50): p0 translate, p1 translate, p2 translate, p3 translate, p4 translate, p5 translate, +44 more (GET /v1/turnout/providers)');
  const statuses = await Promise.all(
    [0, 17, 49].map(async (i) => {
      const response = await request(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: `m${i}`, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await response.body.text();
      return response.statusCode;
    }),
  );
  expect(statuses).toEqual([200, 200, 200]);
  expect(gateway.output()).not.toMatch(/MaxListenersExceededWarning|memory leak detected/);
});

it('writes one log stream: every line JSON (stdout is not a terminal), a start banner of at most 10 lines, no route mapping', () => {
  const lines = gateway.output().split('\n').filter((line) => line !== '');
  const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string; context?: string });
  const banner = records.slice(0, records.findIndex((record) => record.msg.startsWith('listening on')) + 1);
  expect(banner.length).toBeGreaterThan(3);
  expect(banner.length).toBeLessThanOrEqual(10);
  expect(banner.map((record) => record.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/^turnout \d+\.\d+\.\d+ /), expect.stringMatching(/^config: .*turnout\.yaml revision 1$/)]));
  expect(records.filter((record) => /Mapped \{/.test(record.msg) || record.context === 'RouterExplorer')).toEqual([]);
});


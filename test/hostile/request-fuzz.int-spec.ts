import fc from 'fast-check';
import { startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';
import { answerProblem, anyRequest, startFuzzUpstream } from './request-fuzz';

/**
 * Issue 15, case 11: property test against the built gateway in front of a scripted upstream
 * that always answers well. Every answer is a success or an Anthropic-shaped 4xx, never a 5xx.
 * 500 runs here (CI); `npm run fuzz` runs 10,000 (FUZZ_RUNS).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

describe('hostile 11: generated and mutated requests', () => {
  let upstream: Awaited<ReturnType<typeof startFuzzUpstream>> | undefined;
  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    upstream = await startFuzzUpstream();
    const config = writeTempConfig(`providers:
  - { id: fuzz, kind: llama-cpp, base_url: ${upstream.url}, messages: translate, retries: { max_attempts: 1 } }
routes:
  - { match: "claude-*", provider: fuzz, model: m }
`);
    gateway = await startGatewayProcess(config);
  }, 30_000);
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it(`${RUNS} requests: never a 5xx, every error Anthropic-shaped`, async () => {
    const g = gateway as GatewayProcess;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(anyRequest, fc.constantFrom('/v1/messages', '/v1/messages/count_tokens'), async (request, path) => {
        const response = await fetch(`${g.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const problem = answerProblem(response.status, response.headers.get('content-type') ?? '', await response.text());
        if (problem !== undefined) throw new Error(`${path} ${JSON.stringify(request).slice(0, 500)}\n-> ${problem}`);
      }),
      { numRuns: RUNS },
    );
    expect(g.output()).not.toMatch(/"status":5\d\d/);
    // The grammar must reach the upstream as well as the validators: both kinds of answer occur.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 10);
    console.log(`request fuzz: ${RUNS} runs, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  }, Math.max(60_000, RUNS * 100));
});

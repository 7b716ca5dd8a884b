import { Client, request } from 'undici';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';
import { completion } from './openai-chunks';

/**
 * `turnout serve --workers 2` (issue 7): two worker processes behind one port. Cluster hands out
 * connections, so each connection below is pinned to one worker, whose pid `GET /health` names.
 */
jest.setTimeout(30_000);

const CONNECTIONS = 8;
const REQUESTS_PER_CONNECTION = 5;
const MESSAGE = JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });

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

interface Round {
  /** The worker pid each connection talked to. */
  readonly pids: number[];
  /** Status and text of every Messages answer. */
  readonly answers: Array<{ status: number; text: string | undefined }>;
}

/** `CONNECTIONS` connections at once, each asking /health for its worker's pid, then sending Messages requests. */
async function round(): Promise<Round> {
  const pids: number[] = [];
  const answers: Round['answers'] = [];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const client = new Client(gateway.url);
      try {
        const health = await client.request({ method: 'GET', path: '/health' });
        pids.push(((await health.body.json()) as { pid: number }).pid);
        for (let i = 0; i < REQUESTS_PER_CONNECTION; i++) {
          const response = await client.request({
            method: 'POST',
            path: '/v1/messages',
            headers: { 'content-type': 'application/json', 'x-api-key': 'x', 'anthropic-version': '2023-06-01' },
            body: MESSAGE,
          });
          const body = (await response.body.json()) as { content?: Array<{ text?: string }> };
          answers.push({ status: response.statusCode, text: body.content?.[0]?.text });
        }
      } finally {
        await client.close();
      }
    }),
  );
  return { pids, answers };
}

function expectAllAnswered(result: Round): void {
  expect(result.answers).toHaveLength(CONNECTIONS * REQUESTS_PER_CONNECTION);
  expect(result.answers.filter((answer) => answer.status !== 200 || answer.text !== 'hello')).toEqual([]);
}

/** Resolves once the gateway's output matches `pattern` (after `from` characters), with the match. */
async function outputMatches(pattern: RegExp, from = 0): Promise<RegExpExecArray> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const match = pattern.exec(gateway.output().slice(from));
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the gateway's output:\n${gateway.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sampleOf(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

// Issue 18: a scrape lands on one worker but counts what every worker served (prom-client's
// AggregatorRegistry in the primary). Runs first, while no request has been counted yet.
it('answers /metrics for both workers, from whichever worker scrapes', async () => {
  const served = await round();
  expectAllAnswered(served);
  expect(new Set(served.pids).size).toBe(2); // both workers served some of the connections
  // Several scrapes on fresh connections, so both workers answer at least one of them.
  for (let i = 0; i < 4; i++) {
    const response = await request(`${gateway.url}/metrics`, { reset: true });
    expect(response.statusCode).toBe(200);
    const text = await response.body.text();
    expect(sampleOf(text, 'turnout_requests_total')).toBe(CONNECTIONS * REQUESTS_PER_CONNECTION);
    expect(sampleOf(text, 'turnout_request_duration_seconds_count')).toBe(CONNECTIONS * REQUESTS_PER_CONNECTION);
    // Gauges keep their meaning: up on every worker, the circuit closed on both.
    expect(text).toContain('turnout_provider_up{provider="u"} 1');
    expect(text).toContain('turnout_circuit_state{provider="u"} 0');
  }
});

it('serves from two workers on one port, replaces a killed worker, and stops cleanly on SIGTERM', async () => {
  const announced = await outputMatches(/listening on (http:\/\/\S+) with 2 workers \(pids (\d+), (\d+)\)/);
  expect(announced[1]).toBe(gateway.url);
  const workers = [Number(announced[2]), Number(announced[3])];
  expect(workers).not.toContain(gateway.pid);

  const first = await round();
  expectAllAnswered(first);
  expect(new Set(first.pids)).toEqual(new Set(workers));

  const [victim, survivor] = workers as [number, number];
  const mark = gateway.output().length;
  process.kill(victim, 'SIGKILL');
  await outputMatches(new RegExp(`worker ${victim} was killed by SIGKILL; starting a new one in \\d+ ms`), mark);
  const meanwhile = await round();
  expectAllAnswered(meanwhile);
  expect(new Set(meanwhile.pids)).toEqual(new Set([survivor]));

  const replaced = await outputMatches(/worker (\d+) serving in place of the one that died \(2 of 2 up\)/, mark);
  const replacement = Number(replaced[1]);
  expect([victim, survivor, gateway.pid]).not.toContain(replacement);
  const after = await round();
  expectAllAnswered(after);
  expect(new Set(after.pids)).toEqual(new Set([survivor, replacement]));

  gateway.kill('SIGTERM');
  expect(await gateway.exited).toBe(0);
  expect([survivor, replacement].filter(alive)).toEqual([]);
  expect(gateway.output()).toContain('SIGTERM: stopping 2 worker(s)');
});

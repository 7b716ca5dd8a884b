import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';
import { completion } from '../../apps/gateway/test/e2e/openai-chunks';

/**
 * Issue 15, case 7, against the built gateway: the circuit counts one outcome per request after
 * its retries, only upstream faults (never 4xx; a 429 is a back-off), and with panic mode a
 * one-target route whose circuit is open still serves, and says so in a metric.
 */
const CHAT = { path: '/v1/chat/completions' };
const OK = { json: completion({ content: 'ok' }, 'stop') };
const REJECTED = { status: 400, json: { error: { message: 'bad request', type: 'invalid_request_error' } } };
const RATE_LIMITED = { status: 429, json: { error: { message: 'slow down', type: 'rate_limit_error' } } };
const BROKEN = { status: 500, json: { error: { message: 'boom', type: 'server_error' } } };

async function start(provider: string, env: Record<string, string>): Promise<{ upstream: ScriptedUpstream; gateway: GatewayProcess }> {
  const upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  const config = writeTempConfig(`providers:
  - { id: single, kind: llama-cpp, base_url: ${upstream.url}, messages: translate, ${provider} }
routes:
  - { match: "*", provider: single, model: m }
`);
  return { upstream, gateway: await startGatewayProcess(config, env) };
}

async function ask(gateway: GatewayProcess): Promise<number> {
  const response = await fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.arrayBuffer();
  return response.status;
}

const metrics = async (gateway: GatewayProcess) => (await fetch(`${gateway.url}/metrics`)).text();

describe('hostile 7: circuit breaker semantics (panic mode off: the plain circuit)', () => {
  let upstream: ScriptedUpstream | undefined;
  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    // The most trigger-happy circuit there is: one counted failure opens it.
    ({ upstream, gateway } = await start('retries: { max_attempts: 3, base_delay_ms: 1 }, circuit: { failure_threshold: 1, min_requests: 1, cooldown_ms: 60000 }', {
      TURNOUT_CIRCUIT_PANIC: 'off',
    }));
  }, 30_000);
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it('two requests the upstream rejects with 400, then a good one: the good one succeeds', async () => {
    const u = upstream as ScriptedUpstream;
    const g = gateway as GatewayProcess;
    u.expect(CHAT).respond(REJECTED).expect(CHAT).respond(REJECTED).expect(CHAT).respond(OK);
    expect([await ask(g), await ask(g), await ask(g)]).toEqual([400, 400, 200]);
    expect(await metrics(g)).toContain('turnout_circuit_state{provider="single"} 0');
  });

  it('50 answers of 429: the breaker stays closed', async () => {
    const u = upstream as ScriptedUpstream;
    const g = gateway as GatewayProcess;
    const before = u.requests.length;
    // Each request tries 3 times (429 is retried), 50 requests: 150 answers of 429.
    for (let i = 0; i < 150; i++) u.expect(CHAT).respond(RATE_LIMITED);
    const statuses = [];
    for (let i = 0; i < 50; i++) statuses.push(await ask(g));
    expect(new Set(statuses)).toEqual(new Set([429]));
    expect(u.requests.length - before).toBe(150);
    expect(await metrics(g)).toContain('turnout_circuit_state{provider="single"} 0');
    u.expect(CHAT).respond(OK);
    expect(await ask(g)).toBe(200);
  });

  it('one outcome per request after its retries: 500, 500, then 200 is one success', async () => {
    const u = upstream as ScriptedUpstream;
    const g = gateway as GatewayProcess;
    u.expect(CHAT).respond(BROKEN).expect(CHAT).respond(BROKEN).expect(CHAT).respond(OK);
    expect(await ask(g)).toBe(200);
    expect(await metrics(g)).toContain('turnout_circuit_state{provider="single"} 0');
  });

  it('a request failing all its attempts is one failure: it opens the circuit (threshold 1), and the next gets 529', async () => {
    const u = upstream as ScriptedUpstream;
    const g = gateway as GatewayProcess;
    u.expect(CHAT).respond(BROKEN).expect(CHAT).respond(BROKEN).expect(CHAT).respond(BROKEN);
    expect(await ask(g)).toBe(500);
    const before = u.requests.length;
    expect(await ask(g)).toBe(529);
    expect(u.requests.length).toBe(before);
    expect(await metrics(g)).toContain('turnout_circuit_state{provider="single"} 2');
  });
});

describe('hostile 7: panic mode (on by default)', () => {
  let upstream: ScriptedUpstream | undefined;
  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    ({ upstream, gateway } = await start('retries: { max_attempts: 1 }, circuit: { failure_threshold: 1, min_requests: 1, cooldown_ms: 60000 }', {}));
  }, 30_000);
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it('a one-target route with an open circuit still serves, and the metric says so', async () => {
    const u = upstream as ScriptedUpstream;
    const g = gateway as GatewayProcess;
    u.expect(CHAT).respond(BROKEN).expect(CHAT).respond(OK).expect(CHAT).respond(OK);
    expect(await ask(g)).toBe(500);
    expect(await metrics(g)).toContain('turnout_circuit_state{provider="single"} 2');
    expect(await ask(g)).toBe(200);
    expect(await ask(g)).toBe(200);
    const text = await metrics(g);
    expect(text).toContain('turnout_circuit_panic_total{provider="single"} 2');
    expect(u.unexpected).toEqual([]);
  });
});

describe('hostile 7: a 429 is a back-off, not a failure (no retries, panic off)', () => {
  let upstream: ScriptedUpstream | undefined;
  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    ({ upstream, gateway } = await start('retries: { max_attempts: 1 }, circuit: { failure_threshold: 1, min_requests: 1 }', { TURNOUT_CIRCUIT_PANIC: 'off' }));
  }, 30_000);
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it('a 429 with retry-after backs the target off instead: 429 at once, upstream not called, circuit closed', async () => {
    const u = upstream as ScriptedUpstream;
    const g = gateway as GatewayProcess;
    u.expect(CHAT).respond({ ...RATE_LIMITED, headers: { 'retry-after': '5' } });
    expect(await ask(g)).toBe(429);
    const before = u.requests.length;
    const response = await fetch(`${g.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(u.requests.length).toBe(before);
    expect(await metrics(g)).toContain('turnout_circuit_state{provider="single"} 0');
  });

});

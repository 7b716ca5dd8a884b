import { request } from 'node:http';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

/**
 * Issue 21's bounds tried from outside on the built gateway: the console's ring of recent
 * requests (TURNOUT_CONSOLE_RECENT_REQUESTS), its live streams (16 at once) and its sessions
 * (64; a login loop ends the oldest), and the login's refusal of oversized or cross-site tokens.
 */
const TOKEN = 'hostile-console-admin-token';

let upstream: ScriptedUpstream;
let gateway: GatewayProcess;

const admin = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  upstream.standing({ method: 'POST', path: '/v1/chat/completions' }).respond({
    json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
  });
  const config = writeTempConfig(`providers: [{ id: p, kind: llama-cpp, base_url: "${upstream.url}", messages: translate }]\nroutes: [{ match: "*", provider: p }]\n`);
  gateway = await startGatewayProcess(config, { TURNOUT_ADMIN_TOKEN: TOKEN, TURNOUT_CONSOLE_RECENT_REQUESTS: '3' });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

const login = (headers: Record<string, string> = { origin: gateway.url }, token = TOKEN) =>
  fetch(`${gateway.url}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ token }) });

/** Opens the console's SSE stream and resolves with its status once the head arrives; the socket stays open. */
function openStream(): Promise<{ status: number; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(`${gateway.url}/console/api/events`, { headers: admin }, (res) => resolve({ status: res.statusCode ?? 0, close: () => req.destroy() }));
    req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)));
    req.end();
  });
}

describe('console bounds', () => {
  it('keeps only TURNOUT_CONSOLE_RECENT_REQUESTS finished requests, however many are sent', async () => {
    for (let n = 0; n < 12; n++) {
      const response = await fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: `m-${n}`, max_tokens: 4, messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(response.status).toBe(200);
    }
    const recent = (await (await fetch(`${gateway.url}/console/api/requests`, { headers: admin })).json()) as { data: { model: string }[]; capacity: number };
    expect(recent.capacity).toBe(3);
    expect(recent.data.map((item) => item.model)).toEqual(['m-9', 'm-10', 'm-11']);
  });

  it('opens at most 16 live streams; the 17th is refused with 429 and retry-after', async () => {
    const streams = await Promise.all(Array.from({ length: 16 }, () => openStream()));
    try {
      expect(streams.every((stream) => stream.status === 200)).toBe(true);
      const extra = await fetch(`${gateway.url}/console/api/events`, { headers: admin });
      expect(extra.status).toBe(429);
      expect(extra.headers.get('retry-after')).toBe('5');
    } finally {
      for (const stream of streams) stream.close();
    }
    // Closed streams free their places.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await openStream();
    expect(again.status).toBe(200);
    again.close();
  });

  it('keeps at most 64 sessions: after a login loop the first session is gone, the last works', async () => {
    const cookieOf = (response: Response) => /turnout_console=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
    const first = cookieOf(await login());
    let last: string | undefined;
    for (let i = 0; i < 70; i++) last = cookieOf(await login());
    expect((await fetch(`${gateway.url}/admin/config`, { headers: { cookie: `turnout_console=${first}` } })).status).toBe(401);
    expect((await fetch(`${gateway.url}/admin/config`, { headers: { cookie: `turnout_console=${last}` } })).status).toBe(200);
  });

  it('refuses a login from another site, without an origin, or with a huge or wrong token', async () => {
    expect((await login({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await login({})).status).toBe(403);
    expect((await login(undefined, 'x'.repeat(100_000))).status).toBe(401);
    const wrong = await login(undefined, 'wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });
});

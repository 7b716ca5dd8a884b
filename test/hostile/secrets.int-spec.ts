import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

/**
 * Issue 15, case 10, against the built gateway: an upstream echoing its key is masked for the
 * client and the log; credentials in a base_url are never shown; api_key_env off the allowlist
 * is refused at start and on admin writes.
 */
const KEY = 'sk-upstream-4f1d9c2b7e';
const URL_PASSWORD = 'hunter2-in-the-url';

describe('hostile 10: secrets are never echoed', () => {
  let upstream: ScriptedUpstream | undefined;
  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
    const withCredentials = upstream.url.replace('http://', `http://ops:${URL_PASSWORD}@`);
    const config = writeTempConfig(`providers:
  - { id: echo, kind: llama-cpp, base_url: ${upstream.url}, messages: translate, api_key_env: ECHO_API_KEY, retries: { max_attempts: 1 } }
  - { id: creds, kind: llama-cpp, base_url: "${withCredentials}", messages: translate, retries: { max_attempts: 1 } }
routes:
  - { match: "*", provider: echo, model: m }
`);
    gateway = await startGatewayProcess(config, { ECHO_API_KEY: KEY, TURNOUT_ADMIN_TOKEN: 'admin-token-123' });
  }, 30_000);
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it.each([
    [400, { error: { message: `Bad request for key ${KEY}`, type: 'invalid_request_error' } }],
    [401, { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } }],
    [500, { error: { message: `internal: Authorization: Bearer ${KEY}`, type: 'server_error' } }],
  ])('an upstream %s echoing the key: the client and the log see ***', async (status, json) => {
    const u = upstream as ScriptedUpstream;
    const g = gateway as GatewayProcess;
    u.expect({ path: '/v1/chat/completions' }).respond({ status, json });
    const response = await fetch(`${g.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await response.text();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(text).not.toContain(KEY);
    expect(JSON.parse(text)).toMatchObject({ type: 'error', error: { type: expect.any(String) } });
    expect(u.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(g.output()).not.toContain(KEY);
  });

  it('credentials in a base_url are shown neither on /v1/turnout/providers nor in the log', async () => {
    const g = gateway as GatewayProcess;
    const text = await (await fetch(`${g.url}/v1/turnout/providers`)).text();
    expect(text).toContain('"id":"creds"');
    expect(text).not.toContain(URL_PASSWORD);
    expect(g.output()).not.toContain(URL_PASSWORD);
  });

  it('an admin write naming a variable off the allowlist is refused', async () => {
    const g = gateway as GatewayProcess;
    const response = await fetch(`${g.url}/admin/config/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer admin-token-123' },
      body: JSON.stringify({ providers: [{ id: 'evil', kind: 'openai', base_url: 'http://127.0.0.1:9', api_key_env: 'HOME' }], routes: [{ match: '*', provider: 'evil' }] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/api_key_env HOME is not allowed/);
  });
});

describe('hostile 10: a config file naming a variable off the allowlist', () => {
  it('stops the start with one line naming it', async () => {
    const config = writeTempConfig(`providers:
  - { id: p, kind: llama-cpp, base_url: "http://127.0.0.1:9", api_key_env: DATABASE_PASSWORD }
routes:
  - { match: "*", provider: p }
`);
    await expect(startGatewayProcess(config, { DATABASE_PASSWORD: 'swordfish-123' })).rejects.toThrow(/provider p: api_key_env DATABASE_PASSWORD is not allowed/);
  });
});

import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';
import { completion } from '../../apps/gateway/test/e2e/openai-chunks';

/**
 * Issue 15, case 5, against the built gateway: routes whose `match` (and so their default name,
 * `#<index> <match>`, sent as `x-turnout-route`) holds non-Latin-1 or control characters still
 * answer 200 with a valid header, never a 500.
 */
const NAMES = ['模型-a', 'emoji-🚀', 'bell\u0007', 'del\u007f', 'sep\u2028x', 'ÿ-latin1', 'bidi\u202etxet', 'nl\nx'];

describe('hostile 5: header values from Unicode route names', () => {
  let upstream: ScriptedUpstream | undefined;
  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
    const routes = NAMES.map((name) => `  - { match: ${JSON.stringify(name)}, provider: scripted, model: small }`).join('\n');
    const config = writeTempConfig(`providers:
  - { id: scripted, kind: llama-cpp, base_url: ${upstream.url}, messages: translate, retries: { max_attempts: 1 } }
routes:
${routes}
`);
    gateway = await startGatewayProcess(config);
  }, 30_000);
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it.each(NAMES.map((name, index) => [name, index] as const))('%j: 200, x-turnout-route encoded', async (name, index) => {
    upstream?.expect({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'ok' }, 'stop') });
    const response = await fetch(`${gateway?.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: name, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await response.text();
    expect({ status: response.status, text }).toEqual({ status: 200, text: expect.stringContaining('"type":"message"') });
    expect(decodeURIComponent(response.headers.get('x-turnout-route') ?? '')).toBe(`#${index} ${name}`);
  });
});

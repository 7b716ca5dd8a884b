import Anthropic from '@anthropic-ai/sdk';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig } from '@turnout/testing';
import { chunkFrame, completion, DONE_FRAME, usageFrame } from './openai-chunks';

/**
 * SIGTERM (issue 6): stop accepting, let in-flight streams finish within the grace period, end
 * the ones still open with an `event: error` the client can act on, exit 0.
 */
jest.setTimeout(20_000);

it('a stream that finishes within the grace period completes; one that does not gets event: error; exit code 0', async () => {
  const upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  const config = writeTempConfig(`providers:
  - { id: u, kind: llama-cpp, base_url: "${upstream.url}", messages: translate, retries: { max_attempts: 1 } }
routes:
  - { match: "*", provider: u }
`);
  const gateway = await startGatewayProcess(config, { TURNOUT_SHUTDOWN_GRACE_MS: '800' });
  const client = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
  try {
    upstream.expect({ path: '/v1/chat/completions' }).respond({
      frames: [chunkFrame({ role: 'assistant', content: null }), chunkFrame({ content: 'quick' }), chunkFrame({}, 'stop'), usageFrame(1, 1), DONE_FRAME],
      frameDelayMs: 100,
    });
    upstream.expect({ path: '/v1/chat/completions' }).respond({ frames: [chunkFrame({ role: 'assistant', content: null }), chunkFrame({ content: 'endless' })], hangAfterFrames: true });
    const quick = client.messages.stream({ model: 'a', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    const endless = client.messages.stream({ model: 'b', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    await new Promise<void>((resolve) => endless.on('text', () => resolve()));
    gateway.kill('SIGTERM');
    expect((await quick.finalMessage()).content).toMatchObject([{ type: 'text', text: 'quick' }]);
    await expect(endless.finalMessage()).rejects.toThrow(/shutting down/);
    expect(await gateway.exited).toBe(0);
    expect(gateway.output()).toContain('grace period over');
  } finally {
    await gateway.stop();
    await upstream.close();
  }
});

it('new connections are refused once stopping', async () => {
  const upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  const config = writeTempConfig(`providers:
  - { id: u, kind: llama-cpp, base_url: "${upstream.url}", messages: translate, retries: { max_attempts: 1 } }
routes:
  - { match: "*", provider: u }
`);
  const gateway = await startGatewayProcess(config, { TURNOUT_SHUTDOWN_GRACE_MS: '2000' });
  try {
    upstream.expect({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'late' }, 'stop'), delayMs: 600 });
    const client = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
    const inFlight = client.messages.create({ model: 'a', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    await upstream.nextRequest(upstream.requests.length);
    gateway.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(fetch(`${gateway.url}/health`)).rejects.toThrow();
    await expect(inFlight).resolves.toMatchObject({ content: [{ type: 'text', text: 'late' }] });
    expect(await gateway.exited).toBe(0);
  } finally {
    await gateway.stop();
    await upstream.close();
  }
});

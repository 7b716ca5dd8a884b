import { startHarness, stopHarness, type Harness } from './gateway-harness';
import { chunkFrame } from './openai-chunks';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));
afterEach(() => {
  expect(h.upstream.unexpected).toEqual([]);
  expect(h.upstream.pending).toBe(0);
});

const params = { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user' as const, content: 'Hi' }] };

/** Resolves true when the upstream saw its socket close within `ms`. */
function closedWithin(closed: Promise<void>, ms: number): Promise<boolean> {
  return Promise.race([closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}

describe('a client that goes away aborts the upstream request', () => {
  it('while streaming: the upstream sees its socket close', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({
      frames: [chunkFrame({ role: 'assistant', content: null }), chunkFrame({ content: 'thinking slowly' })],
      hangAfterFrames: true,
    });
    const controller = new AbortController();
    const stream = h.client.messages.stream(params, { signal: controller.signal });
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    const request = await h.upstream.nextRequest(h.upstream.requests.length - 1);
    controller.abort();
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(await closedWithin(request.closed, 2_000)).toBe(true);
    expect(request.finished()).toBe(false);
  });

  it('while waiting for upstream headers (non-streaming): the upstream sees its socket close', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({ neverRespond: true });
    const controller = new AbortController();
    const pending = h.client.messages.create(params, { signal: controller.signal });
    const request = await h.upstream.nextRequest();
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(await closedWithin(request.closed, 2_000)).toBe(true);
  });

  it('the gateway keeps serving after aborts', async () => {
    const health = await fetch(`${h.gateway.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', pid: h.gateway.pid });
  });
});

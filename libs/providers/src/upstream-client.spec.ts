import { ScriptedUpstream } from '@turnout/testing';
import { PROVIDER_KINDS } from './kinds';
import { readBody, UpstreamClient } from './upstream-client';
import { llamaFixture, llamaReply, openSignal, targetFor } from '../test/provider-test-support';

describe('UpstreamClient methods', () => {
  let upstream: ScriptedUpstream;
  const client = new UpstreamClient();

  beforeEach(async () => {
    upstream = await ScriptedUpstream.start();
  });
  afterEach(async () => {
    await upstream.close();
  });
  afterAll(async () => {
    await client.close();
  });

  it('sends a GET without a body or content-type, with the auth header, and reads the answer', async () => {
    upstream.expect({ method: 'GET', path: '/props' }).respond(llamaReply('props.response.json'));
    const response = await client.send({
      target: targetFor(upstream.url, PROVIDER_KINDS['llama-cpp'], 'sk-local'),
      path: '/props',
      method: 'GET',
      signal: openSignal(),
    });
    expect(response.status).toBe(200);
    expect((await readBody(response.body, 1 << 20)).toString('utf8')).toBe(llamaFixture('props.response.json'));
    const [seen] = upstream.requests;
    expect(seen?.method).toBe('GET');
    expect(seen?.body).toBe('');
    expect(seen?.headers['content-type']).toBeUndefined();
    expect(seen?.headers['content-length']).toBeUndefined();
    expect(seen?.headers.authorization).toBe('Bearer sk-local');
  });

  it('still POSTs JSON when no method is given (existing callers)', async () => {
    upstream.expect({ method: 'POST', path: '/tokenize' }).respond(llamaReply('tokenize.response.json'));
    const body = llamaFixture('tokenize.request.json');
    const response = await client.send({ target: targetFor(upstream.url, PROVIDER_KINDS['llama-cpp']), path: '/tokenize', body, signal: openSignal() });
    response.discard();
    const [seen] = upstream.requests;
    expect(seen?.method).toBe('POST');
    expect(seen?.body).toBe(body);
    expect(seen?.headers['content-type']).toBe('application/json');
  });

  it('keeps the base URL path in front of the request path for GETs too', async () => {
    upstream.expect({ method: 'GET', path: '/llama/v1/models' }).respond(llamaReply('models.response.json'));
    const response = await client.send({
      target: targetFor(`${upstream.url}/llama/`, PROVIDER_KINDS['llama-cpp']),
      path: '/v1/models',
      method: 'GET',
      signal: openSignal(),
    });
    response.discard();
    expect(response.status).toBe(200);
    expect(upstream.unexpected).toEqual([]);
  });
});

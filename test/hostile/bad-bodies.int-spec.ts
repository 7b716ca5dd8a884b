import { startHarness, stopHarness, type Harness } from '../../apps/gateway/test/e2e/gateway-harness';

/**
 * Issue 15, cases 2 and 4, against the built gateway: bodies that are JSON but not a request,
 * hostile nesting, duplicate members and overlong model names get a 400 invalid_request_error
 * naming the path, never a 500, and never reach the upstream.
 */
const BASE = { model: 'claude-sonnet-4-6', max_tokens: 16 };
const HI = [{ role: 'user', content: 'hi' }];

const CASES: Array<[string, string, RegExp]> = [
  ['tools: [null]', JSON.stringify({ ...BASE, messages: HI, tools: [null] }), /^tools\.0: must be an object$/],
  ['messages: [null]', JSON.stringify({ ...BASE, messages: [null] }), /^messages\.0: must be an object/],
  [
    'a null content block',
    JSON.stringify({ ...BASE, messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }, null] }] }),
    /^messages\.0\.content\.2: must be an object with a type$/,
  ],
  ['a block without a type', JSON.stringify({ ...BASE, messages: [{ role: 'user', content: [{ text: 'a' }] }] }), /^messages\.0\.content\.0\.type: /],
  ['a tool without a name', JSON.stringify({ ...BASE, messages: HI, tools: [{ input_schema: { type: 'object' } }] }), /^tools\.0\.name: Field required$/],
  ['10,000-deep arrays', `{"model":"claude-sonnet-4-6","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"metadata":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`, /nested deeper than 64 levels/],
  [
    '10,000-deep objects in a block',
    `{"model":"claude-sonnet-4-6","max_tokens":16,"messages":[{"role":"user","content":[{"type":"text","text":"a","x":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}]}]}`,
    /nested deeper than 64 levels/,
  ],
  ['100,000 content blocks', JSON.stringify({ ...BASE, messages: [{ role: 'user', content: Array.from({ length: 100_000 }, () => ({ type: 'text', text: 'a' })) }] }), /^messages\.0\.content: at most 10000 content blocks$/],
  ['two "model" members', '{"model":"claude-sonnet-4-6","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"model":"claude-opus-4-1"}', /^model: appears more than once/],
  ['two "model" members, one escaped', '{"model":"claude-sonnet-4-6","mod\\u0065l":"x","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}', /^model: appears more than once/],
  ['a model name past 256 characters', JSON.stringify({ ...BASE, model: `claude-${'a'.repeat(100_000)}`, messages: HI }), /^model: at most 256 characters$/],
];

describe('hostile 2 and 4: bodies that are JSON but not a request', () => {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness();
  }, 30_000);
  afterAll(() => stopHarness(harness));

  for (const path of ['/v1/messages', '/v1/messages/count_tokens']) {
    it.each(CASES)(`${path}: %s -> 400 naming the problem`, async (_name, body, message) => {
      const h = harness as Harness;
      const response = await fetch(`${h.gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const answer = (await response.json()) as { type: string; error: { type: string; message: string } };
      expect(response.status).toBe(400);
      expect(answer.type).toBe('error');
      expect(answer.error.type).toBe('invalid_request_error');
      expect(answer.error.message).toMatch(message);
      expect(h.upstream.requests).toHaveLength(0);
    });
  }

  it('a model name exactly at the limit is routed as usual', async () => {
    const h = harness as Harness;
    const response = await fetch(`${h.gateway.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: `claude-${'a'.repeat(249)}`, messages: HI }),
    });
    expect(response.status).toBe(200);
  });

  it('a duplicate member deeper than the top level is left alone (only the envelope decides routing)', async () => {
    const h = harness as Harness;
    const response = await fetch(`${h.gateway.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"hi"}],"metadata":{"user_id":"a","user_id":"b"}}',
    });
    expect(response.status).toBe(200);
  });
});

describe('hostile 4: the admin config document is bounded too', () => {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness('', { TURNOUT_ADMIN_TOKEN: 'admin-token' });
  }, 30_000);
  afterAll(() => stopHarness(harness));

  const validate = (body: string) =>
    fetch(`${(harness as Harness).gateway.url}/admin/config/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer admin-token' },
      body,
    });

  it('a document over 1 MB -> 413 request_too_large', async () => {
    const response = await validate(JSON.stringify({ providers: [], routes: [], padding: 'x'.repeat(1024 * 1024) }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('request_too_large');
  });

  it('a document nested 10,000 deep -> 400 before any walk', async () => {
    const response = await validate(`{"providers":${'['.repeat(10_000)}${']'.repeat(10_000)},"routes":[]}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/nested deeper than 64 levels/);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '@turnout/errors';
import { normalizeUpstreamError } from './normalize-upstream-error';

const llama = (name: string): string => readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'llama-server', name), 'utf8');
const anthropic = (type: string, message: string): string => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011CZ9DiuUGNky5FgPnYSUKN' });
const JSON_HEADERS = { 'content-type': 'application/json' };
const shape = (error: GatewayError) => ({ code: error.code, status: error.status, type: error.anthropicType, message: error.message, headers: error.headers });

describe('normalizeUpstreamError: an Anthropic upstream\'s own errors go through as they are', () => {
  it('429 rate_limit_error keeps its message and the retry hints', () => {
    const error = normalizeUpstreamError(429, anthropic('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'), {
      ...JSON_HEADERS,
      'retry-after': '17',
      'retry-after-ms': '16500.5',
      'x-should-retry': 'true',
      'anthropic-ratelimit-tokens-remaining': '0',
    });
    expect(error).toBeInstanceOf(GatewayError);
    expect(shape(error)).toEqual({
      code: 'GW_UPSTREAM_RATE_LIMITED',
      status: 429,
      type: 'rate_limit_error',
      message: 'Number of request tokens has exceeded your per-minute rate limit',
      headers: { 'retry-after': '17', 'retry-after-ms': '16500.5', 'x-should-retry': 'true' },
    });
    expect(error.upstreamStatus).toBe(429);
  });

  it('529 overloaded_error', () => {
    expect(shape(normalizeUpstreamError(529, anthropic('overloaded_error', 'Overloaded'), { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' }))).toEqual({
      code: 'GW_UPSTREAM_OVERLOADED',
      status: 529,
      type: 'overloaded_error',
      message: 'Overloaded',
      headers: { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' },
    });
  });

  it('402 billing_error reaches the client as Anthropic sent it', () => {
    expect(shape(normalizeUpstreamError(402, anthropic('billing_error', 'Your credit balance is too low'), JSON_HEADERS))).toEqual({
      code: 'GW_UPSTREAM_BILLING',
      status: 402,
      type: 'billing_error',
      message: 'Your credit balance is too low',
      headers: {},
    });
  });

  it('400 invalid_request_error keeps Anthropic\'s exact context wording (Claude Code parses it)', () => {
    const error = normalizeUpstreamError(400, anthropic('invalid_request_error', 'prompt is too long: 209452 tokens > 200000 maximum'), JSON_HEADERS);
    expect(shape(error)).toEqual({ code: 'GW_UPSTREAM_BAD_REQUEST', status: 400, type: 'invalid_request_error', message: 'prompt is too long: 209452 tokens > 200000 maximum', headers: {} });
  });

  it.each([
    [404, 'not_found_error', 'GW_UPSTREAM_MODEL_NOT_FOUND'],
    [413, 'request_too_large', 'GW_UPSTREAM_TOO_LARGE'],
    [500, 'api_error', 'GW_UPSTREAM_ERROR'],
    [504, 'timeout_error', 'GW_UPSTREAM_TIMEOUT'],
  ])('%i %s', (status, type, code) => {
    const error = normalizeUpstreamError(status, anthropic(type, 'model: claude-x'), {});
    expect(shape(error)).toEqual({ code, status, type, message: 'model: claude-x', headers: {} });
  });

  it('drops malformed retry hints instead of passing them on', () => {
    expect(normalizeUpstreamError(429, anthropic('rate_limit_error', 'slow down'), { 'retry-after': 'soon', 'retry-after-ms': '-1', 'x-should-retry': 'maybe' }).headers).toEqual({});
  });
});

describe('normalizeUpstreamError: everything else is classified like a translated upstream\'s error', () => {
  it('llama-server context overflow becomes the 400 wording Claude Code compacts on', () => {
    for (const name of ['messages-error-context-overflow.response.json', 'messages-error-context-overflow-stream.response.json']) {
      const error = normalizeUpstreamError(400, llama(name), { 'content-type': 'application/json; charset=utf-8' });
      expect(error.status).toBe(400);
      expect(error.anthropicType).toBe('invalid_request_error');
      expect(error.message).toMatch(/^prompt is too long: 5010 tokens > 4096 maximum \(upstream \(HTTP 400\): request \(5010 tokens\) exceeds/);
    }
  });

  it.each([
    ['messages-error-image.response.json', 500, 400, /image input is not supported/],
    ['messages-error-invalid-json.response.json', 500, 400, /json\.exception\.parse_error/],
    ['messages-error-missing-messages.response.json', 500, 400, /'messages' is required/],
    ['messages-error-output-parse.response.json', 500, 500, /does not match the expected peg-native format/],
  ])('llama-server %s (HTTP %i) → %i', (name, upstreamStatus, status, message) => {
    const error = normalizeUpstreamError(upstreamStatus, llama(name), {});
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
    expect(error.upstreamStatus).toBe(upstreamStatus);
  });

  it('a refused gateway credential is never a 401 to the client (llama-server and OpenAI shapes, and Anthropic\'s own)', () => {
    const bodies = [
      llama('messages-error-unauthorized.response.json'),
      JSON.stringify({ error: { message: 'Incorrect API key provided: sk-proj-abcdefghijklmnop', type: 'invalid_request_error', code: 'invalid_api_key' } }),
      anthropic('authentication_error', 'invalid x-api-key'),
    ];
    for (const body of bodies) {
      const error = normalizeUpstreamError(401, body, JSON_HEADERS);
      expect(error.code).toBe('GW_UPSTREAM_AUTH');
      expect(error.status).toBe(502);
      expect(error.anthropicType).toBe('api_error');
      expect(error.message).not.toContain('abcdefghijklmnop');
    }
    expect(normalizeUpstreamError(403, anthropic('permission_error', 'no access to model'), {}).code).toBe('GW_UPSTREAM_AUTH');
  });

  it('an HTML 502 page from a proxy becomes an api_error', () => {
    const error = normalizeUpstreamError(502, '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>', { 'content-type': 'text/html' });
    expect(shape(error)).toMatchObject({ code: 'GW_UPSTREAM_ERROR', status: 500, type: 'api_error' });
    expect(error.message).toBe('upstream (HTTP 502): 502 Bad Gateway (HTML error page)');
  });

  it('vLLM\'s Anthropic envelope with a non-Anthropic type is classified by status', () => {
    const body = JSON.stringify({ type: 'error', error: { type: 'Bad Request', message: "[{'type': 'missing', 'loc': ('body', 'max_tokens'), 'msg': 'Field required'}]" } });
    const error = normalizeUpstreamError(400, body, JSON_HEADERS);
    expect(shape(error)).toMatchObject({ code: 'GW_UPSTREAM_BAD_REQUEST', status: 400, type: 'invalid_request_error' });
    expect(error.message).toMatch(/^upstream \(HTTP 400\): \[\{'type': 'missing'/);
  });

  it('an Anthropic type that contradicts the status is not trusted', () => {
    const error = normalizeUpstreamError(500, anthropic('rate_limit_error', 'odd'), { 'retry-after': '5' });
    expect(shape(error)).toMatchObject({ code: 'GW_UPSTREAM_ERROR', status: 500, type: 'api_error' });
    expect(error.headers).not.toHaveProperty('retry-after');
  });

  it('an Anthropic 429 without a usable message, plain text, a truncated body and an empty body are still Anthropic-shaped', () => {
    expect(normalizeUpstreamError(429, anthropic('rate_limit_error', ''), { 'retry-after': '2' }).headers).toEqual({ 'retry-after': '2' });
    expect(normalizeUpstreamError(503, 'Service Unavailable', {}).code).toBe('GW_UPSTREAM_OVERLOADED');
    expect(normalizeUpstreamError(400, anthropic('invalid_request_error', 'x').slice(0, 30), {}).message).toMatch(/^upstream \(HTTP 400\)/);
    expect(normalizeUpstreamError(500, '', {}).anthropicType).toBe('api_error');
  });
});

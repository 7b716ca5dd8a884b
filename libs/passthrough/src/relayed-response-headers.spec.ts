import { relayedResponseHeaders } from './relayed-response-headers';

describe('relayedResponseHeaders', () => {
  it('keeps rate-limit, retry and account headers and renames the upstream request id', () => {
    const relayed = relayedResponseHeaders({
      'anthropic-ratelimit-requests-limit': '100',
      'anthropic-ratelimit-requests-remaining': '99',
      'anthropic-ratelimit-input-tokens-reset': '2026-01-01T00:00:00Z',
      'retry-after': '3',
      'retry-after-ms': '2500',
      'anthropic-organization-id': 'org-1',
      'anthropic-workspace-id': 'ws-1',
      'request-id': 'req_upstream',
    });
    expect(relayed).toEqual({
      'anthropic-ratelimit-requests-limit': '100',
      'anthropic-ratelimit-requests-remaining': '99',
      'anthropic-ratelimit-input-tokens-reset': '2026-01-01T00:00:00Z',
      'retry-after': '3',
      'retry-after-ms': '2500',
      'anthropic-organization-id': 'org-1',
      'anthropic-workspace-id': 'ws-1',
      'x-upstream-request-id': 'req_upstream',
    });
  });

  it('drops framing, hop-by-hop, cookies, server identity and CORS headers', () => {
    expect(
      relayedResponseHeaders({
        'content-type': 'text/event-stream',
        'content-length': '10',
        'content-encoding': 'gzip',
        'transfer-encoding': 'chunked',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        'set-cookie': 'a=b',
        server: 'llama.cpp',
        date: 'Mon, 01 Jan 2026 00:00:00 GMT',
        'access-control-allow-origin': '*',
        'cf-ray': 'x',
        'x-request-id': 'other',
      }),
    ).toEqual({});
  });

  it('matches names case-insensitively and outputs them lower-case', () => {
    expect(relayedResponseHeaders({ 'Retry-After': '1', 'Request-Id': 'r', 'Anthropic-RateLimit-Tokens-Limit': '5' })).toEqual({
      'retry-after': '1',
      'x-upstream-request-id': 'r',
      'anthropic-ratelimit-tokens-limit': '5',
    });
  });
});

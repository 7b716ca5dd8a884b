import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forwardedRequestHeaders } from './forwarded-request-headers';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');

describe('forwardedRequestHeaders', () => {
  it('forwards a real Claude Code request\'s protocol headers and nothing that identifies or authenticates the client to us', () => {
    const client = JSON.parse(readFileSync(join(FIXTURES, 'claude-code', 'c-thinking-tool-turn.headers.json'), 'utf8')) as Record<string, string>;
    const { headers, droppedBetas } = forwardedRequestHeaders(client, undefined);
    expect(headers).toEqual({
      accept: 'application/json',
      'user-agent': 'claude-cli/2.1.330 (external, sdk-cli)',
      'x-claude-code-session-id': 'a291d790-12b1-40b2-a967-2882d0480e39',
      'x-stainless-arch': 'x64',
      'x-stainless-lang': 'js',
      'x-stainless-os': 'Linux',
      'x-stainless-package-version': '0.128.0',
      'x-stainless-retry-count': '0',
      'x-stainless-runtime': 'node',
      'x-stainless-runtime-version': 'v26.12.1',
      'x-stainless-timeout': '600',
      'anthropic-beta': client['anthropic-beta'],
      'anthropic-dangerous-direct-browser-access': 'true',
      'anthropic-version': '2023-06-01',
      'x-app': 'cli',
    });
    expect(droppedBetas).toEqual([]);
  });

  it('drops every credential, hop-by-hop and body-framing header', () => {
    const { headers } = forwardedRequestHeaders(
      {
        authorization: 'Bearer client',
        'x-api-key': 'client-key',
        cookie: 'a=b',
        'proxy-authorization': 'Basic x',
        'proxy-connection': 'keep-alive',
        'x-goog-api-key': 'g',
        'api-key': 'azure',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        trailer: 'x',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
        host: 'gateway:8080',
        'content-length': '12',
        'content-type': 'application/json',
        'accept-encoding': 'gzip, br',
        'x-custom-secret': 'from ANTHROPIC_CUSTOM_HEADERS',
        'anthropic-user-profile-id': 'profile-1',
        'anthropic-version': '2023-06-01',
      },
      undefined,
    );
    expect(headers).toEqual({ 'anthropic-version': '2023-06-01' });
  });

  it('drops headers the client named in connection, even allowed ones', () => {
    const { headers } = forwardedRequestHeaders(
      { Connection: 'keep-alive, X-App , anthropic-beta', 'x-app': 'cli', 'anthropic-beta': 'a', 'user-agent': 'u' },
      undefined,
    );
    expect(headers).toEqual({ 'user-agent': 'u', 'anthropic-version': '2023-06-01' });
  });

  it('defaults anthropic-version when missing or empty, and keeps the client\'s otherwise', () => {
    expect(forwardedRequestHeaders({}, undefined).headers).toEqual({ 'anthropic-version': '2023-06-01' });
    expect(forwardedRequestHeaders({ 'anthropic-version': ' ' }, undefined).headers['anthropic-version']).toBe('2023-06-01');
    expect(forwardedRequestHeaders({ 'anthropic-version': '2023-01-01' }, undefined).headers['anthropic-version']).toBe('2023-01-01');
  });

  it('lower-cases names, joins repeated values with ", " and skips undefined ones', () => {
    const { headers } = forwardedRequestHeaders({ 'User-Agent': 'a', 'X-Stainless-OS': ['Linux', 'x'], accept: undefined, 'Idempotency-Key': 'k1' }, undefined);
    expect(headers).toEqual({ 'user-agent': 'a', 'x-stainless-os': 'Linux, x', 'idempotency-key': 'k1', 'anthropic-version': '2023-06-01' });
  });

  it('splits repeated and comma-separated anthropic-beta values, trims them and drops empties', () => {
    const { headers, droppedBetas } = forwardedRequestHeaders({ 'anthropic-beta': ['a, b,,', ' c ', ''] }, undefined);
    expect(headers['anthropic-beta']).toBe('a,b,c');
    expect(droppedBetas).toEqual([]);
  });

  it('applies deny globs and reports the dropped values in order', () => {
    const { headers, droppedBetas } = forwardedRequestHeaders(
      { 'anthropic-beta': 'claude-code-20250219,context-management-2025-06-27, interleaved-thinking-2025-05-14,redact-thinking-2026-02-12' },
      { deny: ['context-management-*', 'redact-*'] },
    );
    expect(headers['anthropic-beta']).toBe('claude-code-20250219,interleaved-thinking-2025-05-14');
    expect(droppedBetas).toEqual(['context-management-2025-06-27', 'redact-thinking-2026-02-12']);
  });

  it('applies allow globs, and deny wins over allow', () => {
    const { headers, droppedBetas } = forwardedRequestHeaders(
      { 'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14,effort-2025-11-24,fine-grained-tool-streaming-2025-05-14' },
      { allow: ['interleaved-thinking-*', 'claude-code-20250219', 'fine-grained-*'], deny: ['fine-grained-tool-*'] },
    );
    expect(headers['anthropic-beta']).toBe('claude-code-20250219,interleaved-thinking-2025-05-14');
    expect(droppedBetas).toEqual(['effort-2025-11-24', 'fine-grained-tool-streaming-2025-05-14']);
  });

  it('treats glob characters other than * literally', () => {
    const { droppedBetas } = forwardedRequestHeaders({ 'anthropic-beta': 'a.b,axb,a+b' }, { deny: ['a.b', 'a+*'] });
    expect(droppedBetas).toEqual(['a.b', 'a+b']);
  });

  it('omits anthropic-beta when every value was dropped', () => {
    const { headers, droppedBetas } = forwardedRequestHeaders({ 'anthropic-beta': 'x-1,y-2' }, { allow: [] });
    expect(headers).not.toHaveProperty('anthropic-beta');
    expect(droppedBetas).toEqual(['x-1', 'y-2']);
  });
});

import type { FastifyRequest } from 'fastify';
import { sameOrigin } from './same-origin';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest;

describe('sameOrigin (CSRF defence in depth for cookie writes)', () => {
  it("accepts the gateway's own origin, by Origin or else Referer", () => {
    expect(sameOrigin(request({ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000' }))).toBe(true);
    expect(sameOrigin(request({ host: 'gw.example:4000', referer: 'http://gw.example:4000/console' }))).toBe(true);
  });

  it('refuses another origin, an opaque one, garbage, or none at all', () => {
    expect(sameOrigin(request({ host: '127.0.0.1:4000', origin: 'http://evil.example' }))).toBe(false);
    expect(sameOrigin(request({ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4001' }))).toBe(false);
    expect(sameOrigin(request({ host: '127.0.0.1:4000', origin: 'null' }))).toBe(false);
    expect(sameOrigin(request({ host: '127.0.0.1:4000', origin: '::' }))).toBe(false);
    expect(sameOrigin(request({ host: '127.0.0.1:4000' }))).toBe(false);
    expect(sameOrigin(request({ origin: 'http://127.0.0.1:4000' }))).toBe(false);
  });
});

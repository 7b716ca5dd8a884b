import type { FastifyRequest } from 'fastify';

/**
 * CSRF defence in depth for cookie-authenticated writes: a browser names the page's origin in
 * `Origin` (or at least `Referer`) on every POST/PUT/DELETE; it must be this gateway's own
 * host. A request with neither is refused: a browser always sends one of them on such writes.
 */
export function sameOrigin(request: FastifyRequest): boolean {
  const host = request.headers.host;
  if (!host) return false;
  const origin = request.headers.origin ?? request.headers.referer;
  if (typeof origin !== 'string' || origin === '' || origin === 'null') return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

import type { FastifyRequest } from 'fastify';

/** Who made an admin write: the `x-turnout-actor` label when given (100 characters at most). */
export function actor(request: FastifyRequest): string | undefined {
  const value = request.headers['x-turnout-actor'];
  const text = Array.isArray(value) ? value[0] : value;
  return text ? text.slice(0, 100) : undefined;
}

import type { FastifyReply } from 'fastify';
import { GatewayError, toAnthropicErrorBody } from '@turnout/errors';

/**
 * The only place an error becomes an HTTP response: Anthropic envelope, right status,
 * `request-id` header, and the error's own headers (`retry-after` and the like).
 */
export function sendErrorReply(reply: FastifyReply, error: GatewayError, requestId: string): void {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  reply
    .status(error.status)
    .header('request-id', requestId)
    .header('content-type', 'application/json')
    .send(JSON.stringify(toAnthropicErrorBody(error, requestId)));
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayError } from '@turnout/errors';
import type { KeyAccess } from '../keys/key-access';
import { toGatewayError } from './framework-error';
import { errorRendererForPath } from './error-renderers';
import { sendErrorReply } from './reply-writer';

/** The model endpoints: what a gateway key protects. */
const KEYED_PATHS = new Set(['/v1/messages', '/v1/messages/count_tokens', '/v1/chat/completions', '/v1/responses']);

/**
 * Gateway keys are checked in the earliest hook, before the body is read: a client without a
 * valid key gets its 401 without the gateway reading, buffering or parsing a byte of its body
 * (Node discards the unread rest). Which models the key may use and its rate limits are checked
 * once the body names the model.
 */
export function installEarlyKeyCheck(
  fastify: FastifyInstance,
  keys: KeyAccess,
  /** Records the refusal (turnout_auth_refusals_total, one log line); the body is never read, so no model. */
  onRefused: (request: FastifyRequest, reply: FastifyReply, error: GatewayError) => void,
): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST') return;
    const query = request.url.indexOf('?');
    if (!KEYED_PATHS.has(query === -1 ? request.url : request.url.slice(0, query))) return;
    try {
      keys.authenticate(request);
    } catch (error) {
      const refusal = toGatewayError(error, request);
      onRefused(request, reply, refusal);
      sendErrorReply(reply, refusal, request.id, {}, errorRendererForPath(request.url));
      return reply;
    }
  });
}

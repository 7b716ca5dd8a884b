import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toGatewayError } from './framework-error';
import { errorRendererForPath } from './error-renderers';
import { sendErrorReply } from './reply-writer';

/**
 * Renders every error thrown by a handler as an Anthropic error (an OpenAI one on the
 * OpenAI-compatible paths). Once a stream has started the
 * reply writer owns error reporting (`event: error`), so here a sent reply is left alone.
 */
@Catch()
export class AnthropicExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const error = toGatewayError(exception, request);
    if (error.code === 'GW_INTERNAL') this.logger.error(`${request.id}: ${String((error.cause as Error)?.stack ?? error.cause)}`);
    if (reply.sent || reply.raw.headersSent) return;
    sendErrorReply(reply, error, request.id, {}, errorRendererForPath(request.url));
  }
}

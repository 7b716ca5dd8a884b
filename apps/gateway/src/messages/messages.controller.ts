import { Body, Controller, HttpCode, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AnthropicRequest } from '@turnout/protocol';
import { createRequestContext } from '../http/request-context';
import { writeExchange } from '../http/reply-writer';
import { KeyAccess } from '../keys/key-access';
import { validateEnvelope } from './envelope-validation';
import { MessagesEnvelopeDto } from './messages-envelope.dto';
import { MessagesPipeline } from './messages.pipeline';

/**
 * `POST /v1/messages`. Routing is on the path only: Claude Code always adds `?beta=true`, and
 * any query string is accepted and ignored (docs/protocol.md §10 A1). The pipeline answers with an
 * exchange; the reply writer puts it on the wire.
 */
@Controller('v1/messages')
export class MessagesController {
  constructor(
    private readonly pipeline: MessagesPipeline,
    private readonly keys: KeyAccess,
  ) {}

  @Post()
  @HttpCode(200)
  async create(@Body() body: unknown, @Req() request: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    // Credentials first, as Anthropic does: a client without a key learns nothing about its body.
    const context = createRequestContext(request, reply);
    const model = (body as { model?: unknown } | null)?.model;
    let key: Awaited<ReturnType<KeyAccess['admit']>>;
    try {
      key = await this.keys.admit(request, typeof model === 'string' ? model : undefined, true);
      validateEnvelope(MessagesEnvelopeDto, body, ['model', 'max_tokens', 'messages']);
    } catch (error) {
      this.pipeline.recordRefused(body, error, context);
      throw error;
    }
    const raw = request.rawBody ?? Buffer.from(JSON.stringify(body));
    const exchange = await this.pipeline.handle({ body: body as AnthropicRequest, raw, headers: request.headers, key }, context);
    await writeExchange(reply, exchange, { requestId: context.requestId, signal: context.signal });
  }
}

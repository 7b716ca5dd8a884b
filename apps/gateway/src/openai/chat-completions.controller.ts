import { Body, Controller, HttpCode, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRecord } from '@turnout/protocol';
import { chatToAnthropicRequest } from '@turnout/translate';
import { OPENAI_CHAT_ERRORS } from '../http/error-renderers';
import { createRequestContext } from '../http/request-context';
import { writeExchange } from '../http/reply-writer';
import { KeyAccess } from '../keys/key-access';
import type { IncomingMessages } from '../messages/incoming-messages';
import { MessagesPipeline } from '../messages/messages.pipeline';
import { validateChatEnvelope } from './chat-envelope';
import { dropLogger } from './drop-logger';

/**
 * `POST /v1/chat/completions` (issue 17): the same keys, routes, limits, fallbacks, breaker,
 * metrics and logs as `/v1/messages`, because it is the same pipeline; only the protocol pair
 * differs. Errors are worded as OpenAI's.
 */
@Controller('v1/chat/completions')
export class ChatCompletionsController {
  constructor(
    private readonly pipeline: MessagesPipeline,
    private readonly keys: KeyAccess,
  ) {}

  @Post()
  @HttpCode(200)
  async create(@Body() body: unknown, @Req() request: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    const context = createRequestContext(request, reply);
    const model = (body as { model?: unknown } | null)?.model;
    let incoming: IncomingMessages;
    try {
      const key = await this.keys.admit(request, typeof model === 'string' ? model : undefined, true);
      const chat = validateChatEnvelope(body);
      const view = chatToAnthropicRequest(chat);
      dropLogger.dropped('chat_completions', view.dropped);
      const options = chat.stream_options;
      incoming = {
        body: view.request,
        raw: Buffer.from(JSON.stringify(view.request)),
        headers: request.headers,
        key,
        openai: {
          api: 'chat_completions',
          chat,
          raw: request.rawBody ?? Buffer.from(JSON.stringify(chat)),
          includeUsage: isRecord(options) && options.include_usage === true,
        },
      };
    } catch (error) {
      this.pipeline.recordRefused(body, error, context, 'chat_completions');
      throw error;
    }
    const exchange = await this.pipeline.handle(incoming, context);
    await writeExchange(reply, { ...exchange, errors: OPENAI_CHAT_ERRORS }, { requestId: context.requestId, signal: context.signal });
  }
}

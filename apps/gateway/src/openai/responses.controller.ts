import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chatToAnthropicRequest, responsesToChatRequest } from '@turnout/translate';
import { createRequestContext } from '../http/request-context';
import { randomHexId } from '../http/request-id';
import { writeExchange } from '../http/reply-writer';
import { KeyAccess } from '../keys/key-access';
import type { IncomingMessages } from '../messages/incoming-messages';
import { MessagesPipeline } from '../messages/messages.pipeline';
import { chatExchangeAsResponses } from './chat-exchange-as-responses';
import { dropLogger } from './drop-logger';
import { validateResponsesEnvelope } from './responses-envelope';

/**
 * `POST /v1/responses`, stateless (issue 17): the request becomes a chat request at the edge,
 * goes through the same pipeline as `/v1/chat/completions` (so to every upstream chat reaches,
 * with the same keys, routes, limits and records), and the chat answer comes back as a
 * Response or as Responses events.
 */
@Controller('v1/responses')
export class ResponsesController {
  constructor(
    private readonly pipeline: MessagesPipeline,
    private readonly keys: KeyAccess,
  ) {}

  @Post()
  @HttpCode(200)
  async create(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const context = createRequestContext(request, reply);
    const model = (body as { model?: unknown } | null)?.model;
    let incoming: IncomingMessages;
    let responses: ReturnType<typeof validateResponsesEnvelope>;
    try {
      const key = await this.keys.admit(request, typeof model === 'string' ? model : undefined, true);
      responses = validateResponsesEnvelope(body);
      const { chat, dropped } = responsesToChatRequest(responses);
      const view = chatToAnthropicRequest(chat);
      dropLogger.dropped('responses', [...dropped, ...view.dropped]);
      incoming = {
        body: view.request,
        raw: Buffer.from(JSON.stringify(view.request)),
        headers: request.headers,
        key,
        openai: { api: 'responses', chat, raw: Buffer.from(JSON.stringify(chat)), includeUsage: true },
      };
    } catch (error) {
      this.pipeline.recordRefused(body, error, context, 'responses');
      throw error;
    }
    const chatExchange = await this.pipeline.handle(incoming, context);
    const exchange = chatExchangeAsResponses(chatExchange, {
      responseId: `resp_${randomHexId()}`,
      requestedModel: responses.model as string,
      createdAt: Math.floor(Date.now() / 1000),
      request: responses,
    });
    await writeExchange(reply, exchange, { requestId: context.requestId, signal: context.signal });
  }
}

import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { applyHygiene } from '@turnout/hygiene';
import type { AnthropicRequest } from '@turnout/protocol';
import { countTokensExact, UpstreamClient } from '@turnout/providers';
import { estimateInputTokens } from '@turnout/translate';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import { createRequestContext } from '../http/request-context';
import { writeExchange } from '../http/reply-writer';
import { upstreamTarget } from '../providers/upstream-target';
import { ROUTING_SOURCE, type RoutingSource } from '../config/routing-source';
import { validateEnvelope } from './envelope-validation';
import { KeyAccess } from '../keys/key-access';
import { hygieneRulesFor } from '../providers/hygiene-rules';
import { CountTokensEnvelopeDto } from './messages-envelope.dto';

/** Says how the count was made: clients that compact on it may want to know. */
export const TOKEN_COUNT_HEADER = 'x-turnout-token-count';

/**
 * `POST /v1/messages/count_tokens`, never a 404 (docs/protocol.md §6.1, §10 A4): Claude Code sizes
 * its context with it and compacts too late on an under-count. Exact where the upstream can
 * count (its own count_tokens, or its tokenizer over its chat template); otherwise the local
 * estimate documented in ARCHITECTURE.md. The request is counted as it would be sent, after
 * the provider's hygiene rules, so a stripped billing block is not counted.
 */
@Controller('v1/messages/count_tokens')
export class CountTokensController {
  constructor(
    @Inject(ROUTING_SOURCE) private readonly routing: RoutingSource,
    private readonly upstream: UpstreamClient,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly keys: KeyAccess,
  ) {}

  @Post()
  @HttpCode(200)
  async count(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const model = (body as { model?: unknown } | null)?.model;
    // Counted against the key's request limit too: count_tokens is work on the upstream's tokenizer.
    await this.keys.admit(request, typeof model === 'string' ? model : undefined, true);
    validateEnvelope(CountTokensEnvelopeDto, body, ['model', 'messages']);
    const client = body as AnthropicRequest;
    const decision = this.routing.current().resolve(client.model);
    const prepared = applyHygiene(client, hygieneRulesFor(decision)).request;
    const context = createRequestContext(request, reply);
    const exact = await countTokensExact(
      this.upstream,
      upstreamTarget(decision.provider, decision.kind, this.env.secrets),
      decision.kind,
      prepared,
      decision.upstreamModel,
      context.signal,
    );
    const inputTokens = exact?.inputTokens ?? estimateInputTokens(prepared);
    await writeExchange(
      reply,
      {
        status: 200,
        headers: { [TOKEN_COUNT_HEADER]: exact ? `exact; ${exact.method}` : 'estimate', 'x-turnout-provider': decision.provider.id },
        body: { kind: 'bytes', contentType: 'application/json', bytes: JSON.stringify({ input_tokens: inputTokens }) },
      },
      { requestId: context.requestId, signal: context.signal },
    );
  }
}

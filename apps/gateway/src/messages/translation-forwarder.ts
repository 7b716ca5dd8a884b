import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomHexId } from '../http/request-id';
import { safeHeaderValue } from '../http/safe-header-value';
import { GatewayError } from '@turnout/errors';
import type { AnthropicRequest } from '@turnout/protocol';
import { readBody, readBodyPrefix, UpstreamClient, type UpstreamResponse } from '@turnout/providers';
import type { RouteDecision } from '@turnout/routing';
import { runMachineInBatches, TranslatorTable, type Exchange, type TranslateContext, type Translator } from '@turnout/translate';
import { GATEWAY_ENV, type GatewayEnv } from '../cli/gateway-env';
import type { RequestContext } from '../http/request-context';
import { withUpstreamBody } from './upstream-body';
import type { ExchangeOutcome } from './exchange-outcome';
import { writeSse } from './reply-writer';
import { asksForThinking, refusesThinking, ThinkingRefusals, withoutThinking } from './thinking-refusals';

/** Named in x-turnout-rewrites and the rewrites metric when a model that cannot think is asked without thinking. */
const DROP_THINKING = 'drop-thinking';
import { ProviderRegistry } from '../providers/provider-registry';
import { upstreamTarget } from '../providers/upstream-target';

/** Largest upstream error body read to build the client's message; the rest is discarded. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Largest non-streaming upstream response accepted. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/**
 * Ollama allocates the KV cache for the whole `num_ctx` and reloads the model when it changes: a
 * probed *trained* length (256k for some models) could exhaust VRAM. A window the operator set
 * (`context_window`) is used as is; a probed one is capped here.
 */
const PROBED_CONTEXT_WINDOW_CAP = 65_536;

/**
 * The translation track: pick the translator by protocol pair, send its upstream body, turn the
 * answer (streamed or not) back into Anthropic form. It decides nothing about wire formats.
 */
@Injectable()
export class TranslationForwarder {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly translators: TranslatorTable,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly registry: ProviderRegistry,
    private readonly thinkingRefusals: ThinkingRefusals,
  ) {}

  async forward(
    body: AnthropicRequest,
    decision: RouteDecision,
    reply: FastifyReply,
    context: RequestContext,
  ): Promise<ExchangeOutcome> {
    const translator = this.translators.get('anthropic-messages', decision.protocol);
    const translateContext: TranslateContext = {
      requestId: context.requestId,
      requestedModel: body.model,
      upstreamModel: decision.upstreamModel,
      dialect: decision.kind.dialect,
      contextWindow: this.contextWindow(decision),
      newId: (prefix) => `${prefix}_${randomHexId()}`,
    };
    const rewrites: string[] = [];
    let request = body;
    if (asksForThinking(request) && this.thinkingRefusals.has(decision.provider.id, decision.upstreamModel)) {
      request = withoutThinking(request);
      rewrites.push(DROP_THINKING);
    }
    let { exchange, response } = await this.send(translator, request, translateContext, decision, context);
    if (response.status >= 400) {
      const text = await readBodyPrefix(response, MAX_ERROR_BODY_BYTES);
      // Nothing has reached the client yet, so a model that cannot think gets one retry without thinking.
      if (!refusesThinking(response.status, text) || !asksForThinking(request)) throw translator.error(response.status, text, response.headers);
      this.thinkingRefusals.remember(decision.provider.id, decision.upstreamModel);
      request = withoutThinking(request);
      rewrites.push(DROP_THINKING);
      ({ exchange, response } = await this.send(translator, request, translateContext, decision, context));
      if (response.status >= 400) throw await upstreamError(translator, response);
    }
    if (rewrites.length > 0) reply.header('x-turnout-rewrites', safeHeaderValue([reply.getHeader('x-turnout-rewrites'), ...rewrites].filter(Boolean).join(', ')));

    if (body.stream === true) {
      const machine = exchange.createStream();
      const batches = runMachineInBatches(machine, exchange.decode(response.body));
      const written = await writeSse(reply, batches, {
        requestId: context.requestId,
        pingIntervalMs: decision.route.pingIntervalMs,
        signal: context.signal,
        timings: context.timings,
        early: context.early,
      });
      const end = await written.done;
      return { ...end, usage: machine.usage, stopReason: machine.stopReason, rewrites };
    }
    return { ...(await sendUnary(exchange, response, reply)), rewrites };
  }

  private async send(
    translator: Translator,
    request: AnthropicRequest,
    translateContext: TranslateContext,
    decision: RouteDecision,
    context: RequestContext,
  ): Promise<{ exchange: Exchange<unknown>; response: UpstreamResponse }> {
    const exchange = translator.begin(request, translateContext);
    context.timings.upstreamSentAt = performance.now();
    const sent = await this.upstream.send({
      target: upstreamTarget(decision.provider, decision.kind, this.env.secrets),
      path: decision.kind.paths[decision.protocol] ?? '',
      body: JSON.stringify(exchange.upstreamBody),
      signal: context.upstreamSignal,
    });
    return { exchange, response: withUpstreamBody(sent, decision.provider, context.timings) };
  }

  private contextWindow(decision: RouteDecision): number | undefined {
    if (decision.provider.contextWindow !== undefined) return decision.provider.contextWindow;
    const probed = this.registry.probe(decision.provider.id)?.contextWindow;
    return probed === undefined ? undefined : Math.min(probed, PROBED_CONTEXT_WINDOW_CAP);
  }
}

async function sendUnary(exchange: Exchange<unknown>, response: UpstreamResponse, reply: FastifyReply): Promise<ExchangeOutcome> {
  const raw = await readBody(response.body, MAX_RESPONSE_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new GatewayError('GW_UPSTREAM_PROTOCOL', { message: 'upstream: response body is not JSON' });
  }
  const translated = exchange.fromResponse(json);
  await reply.status(200).header('content-type', 'application/json').send(JSON.stringify(translated.body));
  return { outcome: 'completed', usage: translated.usage, stopReason: translated.body.stop_reason };
}

async function upstreamError(translator: Translator, response: UpstreamResponse): Promise<GatewayError> {
  const text = await readBodyPrefix(response, MAX_ERROR_BODY_BYTES);
  return translator.error(response.status, text, response.headers);
}

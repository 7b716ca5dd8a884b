import { Inject, Injectable } from '@nestjs/common';
import { randomHexId } from '../http/request-id';
import { GatewayError } from '@turnout/errors';
import type { AnthropicRequest, AnthropicStreamEvent } from '@turnout/protocol';
import { readBodyPrefix, UpstreamClient, type UpstreamResponse } from '@turnout/providers';
import type { RouteDecision } from '@turnout/routing';
import {
  runMachineInBatches,
  TranslatorTable,
  type Exchange as TranslatedExchange,
  type TranslateContext,
  type Translator,
} from '@turnout/translate';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import type { Exchange } from '../http/exchange';
import type { ExchangeTimings, RequestContext } from '../http/request-context';
import { ProviderRegistry } from '../providers/provider-registry';
import { upstreamTarget } from '../providers/upstream-target';
import { formatStreamEvent } from './format-stream-event';
import { asksForThinking, refusesThinking, ThinkingRefusals, withoutThinking } from './thinking-refusals';
import { upstreamBodyWatch, readJsonBody } from './upstream-body';

/** Named in x-turnout-rewrites and the rewrites metric when a model that cannot think is asked without thinking. */
const DROP_THINKING = 'drop-thinking';
export const REWRITES_HEADER = 'x-turnout-rewrites';

/** Largest upstream error body read to build the client's message; the rest is discarded. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
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

  async forward(body: AnthropicRequest, decision: RouteDecision, context: RequestContext): Promise<Exchange> {
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
    if (body.stream === true) return streamExchange(exchange.createStream(), exchange, response, context.timings, rewrites);
    return unaryExchange(exchange, response, rewrites);
  }

  private async send(
    translator: Translator,
    request: AnthropicRequest,
    translateContext: TranslateContext,
    decision: RouteDecision,
    context: RequestContext,
  ): Promise<{ exchange: TranslatedExchange<unknown>; response: UpstreamResponse }> {
    const exchange = translator.begin(request, translateContext);
    context.timings.upstreamSentAt = performance.now();
    const response = await this.upstream.send({
      target: upstreamTarget(decision.provider, decision.kind, this.env.secrets),
      path: decision.kind.paths[decision.protocol] ?? '',
      body: JSON.stringify(exchange.upstreamBody),
      ...(context.traceparent === undefined ? {} : { headers: { traceparent: context.traceparent } }),
      signal: context.upstreamSignal,
      watchBody: upstreamBodyWatch(decision.provider, context.timings),
    });
    return { exchange, response };
  }

  private contextWindow(decision: RouteDecision): number | undefined {
    if (decision.provider.contextWindow !== undefined) return decision.provider.contextWindow;
    const probed = this.registry.probe(decision.provider.id)?.contextWindow;
    return probed === undefined ? undefined : Math.min(probed, PROBED_CONTEXT_WINDOW_CAP);
  }
}

async function unaryExchange(exchange: TranslatedExchange<unknown>, response: UpstreamResponse, rewrites: readonly string[]): Promise<Exchange> {
  const { raw, json } = await readJsonBody(response);
  const translated = exchange.fromResponse(json);
  return {
    status: 200,
    headers: rewriteHeaders(rewrites),
    body: { kind: 'bytes', contentType: 'application/json', bytes: JSON.stringify(translated.body) },
    settle: () => ({ usage: translated.usage, stopReason: translated.body.stop_reason, rewrites }),
  };
}

/**
 * A translated stream. Nothing is committed until the first event exists: if producing it
 * fails (a broken or empty first frame) the error is thrown here, so the runner can retry or
 * fall back and the client gets a real status. After that, each upstream read becomes one
 * string of complete frames, and a failure ends the stream with the writer's `event: error`.
 */
async function streamExchange(
  machine: ReturnType<TranslatedExchange<unknown>["createStream"]>,
  exchange: TranslatedExchange<unknown>,
  response: UpstreamResponse,
  timings: ExchangeTimings,
  rewrites: readonly string[],
): Promise<Exchange> {
  const batches = runMachineInBatches(machine, exchange.decode(response.body));
  const iterator = batches[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) throw new GatewayError('GW_UPSTREAM_STREAM_ENDED', { message: 'upstream stream produced no events' });
  const firstBatch = first.value;
  async function* frames(): AsyncGenerator<string> {
    try {
      yield format(firstBatch, timings);
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        if (next.value.length > 0) yield format(next.value, timings);
      }
    } finally {
      // Lets the decoder release the upstream body when the writer stopped first.
      void Promise.resolve(iterator.return?.(undefined)).catch(() => undefined);
    }
  }
  return {
    status: 200,
    headers: rewriteHeaders(rewrites),
    body: { kind: 'frames', frames: frames() },
    settle: () => ({ usage: machine.usage, stopReason: machine.stopReason, rewrites }),
  };
}

/** The forwarder's own rewrites, for the runner to add to the hygiene ones it names. */
function rewriteHeaders(rewrites: readonly string[]): Record<string, string> {
  return rewrites.length > 0 ? { [REWRITES_HEADER]: rewrites.join(', ') } : {};
}

/** One batch of events as one string of frames; the first content-bearing event is the TTFT mark. */
function format(events: readonly AnthropicStreamEvent[], timings: ExchangeTimings): string {
  let text = '';
  for (const event of events) {
    if (event.type === 'content_block_delta') timings.firstContentAt ??= performance.now();
    text += formatStreamEvent(event);
  }
  return text;
}

async function upstreamError(translator: Translator, response: UpstreamResponse): Promise<GatewayError> {
  const text = await readBodyPrefix(response, MAX_ERROR_BODY_BYTES);
  return translator.error(response.status, text, response.headers);
}

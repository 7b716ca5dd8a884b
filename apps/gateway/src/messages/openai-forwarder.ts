import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@turnout/errors';
import {
  askStreamUsage,
  forwardedRequestHeaders,
  normalizeUpstreamError,
  OpenAiChatStreamFacts,
  readOpenAiUnaryUsage,
  relayedResponseHeaders,
  relayOpenAiChatFrames,
  rewriteModelField,
} from '@turnout/passthrough';
import type { AnthropicRequest } from '@turnout/protocol';
import { readBodyPrefix, UpstreamClient, type UpstreamResponse } from '@turnout/providers';
import type { RouteDecision } from '@turnout/routing';
import { asksForSeveralChoices } from '@turnout/translate';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import type { Exchange } from '../http/exchange';
import type { RequestContext } from '../http/request-context';
import { betaPolicyFor } from '../providers/safeguards-policy';
import { upstreamTarget } from '../providers/upstream-target';
import { anthropicExchangeAsChat } from './anthropic-exchange-as-chat';
import type { OpenAiInbound } from './incoming-messages';
import { PassthroughForwarder } from './passthrough-forwarder';
import { REWRITES_HEADER, TranslationForwarder } from './translation-forwarder';
import { upstreamBodyWatch, readJsonBody, relayedStreamExchange } from './upstream-body';

const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Named in x-turnout-rewrites and the rewrites metric when a stream is asked for its usage chunk. */
const ASK_STREAM_USAGE = 'ask-stream-usage';

/**
 * Which track an OpenAI chat request takes to a target (issue 17), decided by what the
 * provider speaks, not by its `messages` setting (that one is about `/v1/messages`): its
 * translation target (`translate_to`, else its kind's first) when that is OpenAI chat gets the
 * client's bytes passed through (`native`); another one (Ollama's `/api/chat`, which takes
 * `num_ctx` where its OpenAI shim truncates silently) gets the request translated through the
 * Anthropic view; a kind that speaks only Anthropic Messages gets it translated to Messages.
 */
export function openAiTarget(decision: RouteDecision): RouteDecision {
  const { kind, provider } = decision;
  const preferred = provider.translateTo ?? kind.protocols.find((protocol) => protocol !== 'anthropic-messages');
  if (preferred === 'openai-chat') {
    return { ...decision, mode: 'native', protocol: 'openai-chat', modeReason: `${kind.id} serves /v1/chat/completions: passthrough` };
  }
  if (preferred !== undefined) {
    return { ...decision, mode: 'translate', protocol: preferred, modeReason: `${kind.id} prefers ${preferred}: chat translated through the Anthropic view` };
  }
  return { ...decision, mode: 'translate', protocol: 'anthropic-messages', modeReason: `${kind.id} speaks Anthropic Messages: chat translated` };
}

/**
 * The tracks of an OpenAI chat request, each answering in the client's protocol: the
 * passthrough to an OpenAI-compatible upstream (only `model` edited in the bytes, both ways;
 * chunks relayed as complete frames with usage read on the side), and the Anthropic tracks
 * (the request's Anthropic view through the Messages passthrough, or through the translation
 * track to another protocol, the answer turned back into a chat completion or chunks).
 */
@Injectable()
export class OpenAiForwarder {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly passthrough: PassthroughForwarder,
    private readonly translation: TranslationForwarder,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  async forward(target: RouteDecision, inbound: OpenAiInbound, anthropic: AnthropicRequest, context: RequestContext): Promise<Exchange> {
    if (target.protocol === 'openai-chat') return this.passthroughChat(target, inbound, context);
    if (asksForSeveralChoices(inbound.chat)) {
      throw new GatewayError('GW_INVALID_REQUEST', { message: `n: provider ${target.provider.id} (${target.kind.id}) gives one choice per request; n must be 1` });
    }
    const answer = { requestedModel: anthropic.model, created: Math.floor(Date.now() / 1000), includeUsage: inbound.includeUsage };
    // Another protocol (Ollama's /api/chat): the Anthropic view through the translation track.
    if (target.protocol !== 'anthropic-messages') return anthropicExchangeAsChat(await this.translation.forward(anthropic, target, context), answer);
    const exchange = await this.passthrough.forward(
      {
        bytes: Buffer.from(JSON.stringify(anthropic)),
        requestedModel: anthropic.model,
        stream: anthropic.stream === true,
        headers: forwardedRequestHeaders({}, betaPolicyFor(target)).headers,
      },
      target,
      context,
    );
    return anthropicExchangeAsChat(exchange, answer);
  }

  private async passthroughChat(target: RouteDecision, inbound: OpenAiInbound, context: RequestContext): Promise<Exchange> {
    const requestedModel = inbound.chat.model as string;
    const renamed = target.upstreamModel !== requestedModel;
    const body = renamed ? rewriteModelField(inbound.raw, target.upstreamModel) : inbound.raw;
    // Every API's tokens are counted: a stream that did not ask for usage is asked for it.
    const withUsage = inbound.chat.stream === true ? askStreamUsage(body) : undefined;
    context.timings.upstreamSentAt = performance.now();
    const response = await this.upstream.send({
      target: upstreamTarget(target.provider, target.kind, this.env.secrets),
      path: target.kind.paths['openai-chat'] ?? '/v1/chat/completions',
      body: withUsage ?? body,
      signal: context.upstreamSignal,
      watchBody: upstreamBodyWatch(target.provider, context.timings),
    });
    if (response.status >= 400) {
      const text = await readBodyPrefix(response, MAX_ERROR_BODY_BYTES);
      throw normalizeUpstreamError(response.status, text, response.headers);
    }
    const headers = relayedResponseHeaders(response.headers);
    if (withUsage !== undefined) headers[REWRITES_HEADER] = ASK_STREAM_USAGE;
    const rename = renamed ? requestedModel : undefined;
    const contentType = response.headers['content-type'] ?? '';
    if (contentType.startsWith('text/event-stream')) {
      const relay = { rename, hideUsageChunk: withUsage !== undefined };
      return { ...chatStream(response, headers, relay, contentType, context), pingIntervalMs: target.route.pingIntervalMs };
    }
    return chatUnary(response, headers, rename);
  }
}

async function chatUnary(response: UpstreamResponse, headers: Record<string, string>, rename: string | undefined): Promise<Exchange> {
  const { raw, json } = await readJsonBody(response);
  const { usage, stopReason } = readOpenAiUnaryUsage(json);
  return {
    status: 200,
    headers,
    body: { kind: 'bytes', contentType: 'application/json', bytes: rename === undefined ? raw : rewriteModelField(raw, rename) },
    settle: () => ({ usage, stopReason }),
  };
}

function chatStream(
  response: UpstreamResponse,
  headers: Record<string, string>,
  relay: { readonly rename: string | undefined; readonly hideUsageChunk: boolean },
  contentType: string,
  context: RequestContext,
): Exchange {
  const facts = new OpenAiChatStreamFacts();
  return relayedStreamExchange(relayOpenAiChatFrames(response.body, { facts, ...relay }), facts, headers, contentType, context);
}

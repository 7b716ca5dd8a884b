import { Inject, Injectable } from '@nestjs/common';
import {
  addSafeguardResultsToMessage,
  AnthropicSseTap,
  normalizeUpstreamError,
  readUnaryUsage,
  relayAnthropicFrames,
  relayedResponseHeaders,
  rewriteModelField,
} from '@turnout/passthrough';
import { readBodyPrefix, UpstreamClient, type UpstreamResponse } from '@turnout/providers';
import type { RouteDecision } from '@turnout/routing';
import type { SafeguardResult } from '@turnout/translate';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import type { Exchange } from '../http/exchange';
import type { RequestContext } from '../http/request-context';
import { upstreamTarget } from '../providers/upstream-target';
import { upstreamBodyWatch, readJsonBody, relayedStreamExchange } from './upstream-body';

const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The request as it goes upstream on the passthrough track. */
export interface PassthroughRequest {
  /** The client's body bytes, or the re-serialized body when a hygiene rule changed it. */
  readonly bytes: Buffer;
  readonly requestedModel: string;
  readonly stream: boolean;
  /** Headers for the upstream, already filtered (`forwardedRequestHeaders`); the provider's auth is added later. */
  readonly headers: Readonly<Record<string, string>>;
  /** Set when Turnout answers the request's `safeguards` for this upstream (safeguards-policy.ts). */
  readonly safeguardResults?: readonly SafeguardResult[];
}

/**
 * The passthrough track: the body goes upstream as the client sent it (only `model` edited in
 * the bytes), and the upstream's answer comes back as an exchange: a unary body with the model
 * renamed, or its event stream cut into complete frames (`relayAnthropicFrames`) with a tap
 * reading usage on the side. A failure before the answer is thrown (the runner may retry or
 * fall back); one after it ends the stream with the writer's one `event: error`.
 */
@Injectable()
export class PassthroughForwarder {
  constructor(
    private readonly upstream: UpstreamClient,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  async forward(request: PassthroughRequest, decision: RouteDecision, context: RequestContext): Promise<Exchange> {
    const renamed = decision.upstreamModel !== request.requestedModel;
    const body = renamed ? rewriteModelField(request.bytes, decision.upstreamModel) : request.bytes;
    context.timings.upstreamSentAt = performance.now();
    const response = await this.upstream.send({
      target: upstreamTarget(decision.provider, decision.kind, this.env.secrets),
      path: decision.kind.paths['anthropic-messages'] ?? '/v1/messages',
      body,
      headers: context.traceparent === undefined ? request.headers : { ...request.headers, traceparent: context.traceparent },
      signal: context.upstreamSignal,
      watchBody: upstreamBodyWatch(decision.provider, context.timings),
    });
    if (response.status >= 400) {
      const text = await readBodyPrefix(response, MAX_ERROR_BODY_BYTES);
      throw normalizeUpstreamError(response.status, text, response.headers);
    }
    const headers = relayedResponseHeaders(response.headers);
    const rename = renamed ? request.requestedModel : undefined;
    const contentType = response.headers['content-type'] ?? '';
    const results = request.safeguardResults;
    return contentType.startsWith('text/event-stream')
      ? streamExchange(response, headers, { rename, safeguardResults: results }, contentType, context)
      : unaryExchange(response, headers, rename, results, contentType.startsWith('application/json') ? contentType : 'application/json');
  }
}

/** The upstream's content type is kept when it is JSON's (with its charset parameter, if any). */
async function unaryExchange(
  response: UpstreamResponse,
  headers: Record<string, string>,
  rename: string | undefined,
  results: readonly SafeguardResult[] | undefined,
  contentType: string,
): Promise<Exchange> {
  const { raw, json } = await readJsonBody(response);
  const { usage, stopReason } = readUnaryUsage(json);
  return {
    status: 200,
    headers,
    body: { kind: 'bytes', contentType, bytes: withSafeguardResults(rename === undefined ? raw : rewriteModelField(raw, rename), results) },
    settle: () => ({ usage, stopReason }),
  };
}

function streamExchange(
  response: UpstreamResponse,
  headers: Record<string, string>,
  edits: { readonly rename?: string; readonly safeguardResults?: readonly SafeguardResult[] },
  contentType: string,
  context: RequestContext,
): Exchange {
  const tap = new AnthropicSseTap();
  return relayedStreamExchange(relayAnthropicFrames(response.body, { tap, ...edits }), tap, headers, contentType, context);
}

function withSafeguardResults(bytes: Buffer, results: readonly SafeguardResult[] | undefined): Buffer {
  return results === undefined ? bytes : addSafeguardResultsToMessage(bytes, results);
}

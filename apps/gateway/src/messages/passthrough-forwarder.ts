import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { GatewayError, toAnthropicErrorBody, type ErrorCode } from '@turnout/errors';
import {
  addSafeguardResultsToMessage,
  addSafeguardResultsToStream,
  AnthropicSseTap,
  normalizeUpstreamError,
  readUnaryUsage,
  relayedResponseHeaders,
  rewriteModelField,
} from '@turnout/passthrough';
import { classifyUpstreamFailure, readBody, readBodyPrefix, UpstreamClient, type UpstreamResponse } from '@turnout/providers';
import { formatSseJson } from '@turnout/sse';
import type { SafeguardResult } from '@turnout/translate';
import type { RouteDecision } from '@turnout/routing';
import { GATEWAY_ENV, type GatewayEnv } from '../cli/gateway-env';
import type { RequestContext } from '../http/request-context';
import { withUpstreamBody } from './upstream-body';
import type { ExchangeOutcome } from './exchange-outcome';
import { rewriteMessageStartModel } from './message-start-model';
import { upstreamTarget } from '../providers/upstream-target';

const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

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
 * the bytes), the upstream's bytes come back as they arrive, and a tap reads usage on the side.
 * The one edit on the way back is the model name, so the client sees the name it asked for.
 */
@Injectable()
export class PassthroughForwarder {
  constructor(
    private readonly upstream: UpstreamClient,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  async forward(
    request: PassthroughRequest,
    decision: RouteDecision,
    reply: FastifyReply,
    context: RequestContext,
  ): Promise<ExchangeOutcome> {
    const renamed = decision.upstreamModel !== request.requestedModel;
    const body = renamed ? rewriteModelField(request.bytes, decision.upstreamModel) : request.bytes;
    context.timings.upstreamSentAt = performance.now();
    const sent = await this.upstream.send({
      target: upstreamTarget(decision.provider, decision.kind, this.env.secrets),
      path: decision.kind.paths['anthropic-messages'] ?? '/v1/messages',
      body,
      headers: request.headers,
      signal: context.upstreamSignal,
    });
    const response = withUpstreamBody(sent, decision.provider, context.timings);
    if (response.status >= 400) {
      const text = await readBodyPrefix(response, MAX_ERROR_BODY_BYTES);
      throw normalizeUpstreamError(response.status, text, response.headers);
    }
    reply.headers(relayedResponseHeaders(response.headers));
    const rename = renamed ? request.requestedModel : undefined;
    const isStream = (response.headers['content-type'] ?? '').startsWith('text/event-stream');
    const results = request.safeguardResults;
    const outcome = isStream
      ? await relayStream(results === undefined ? response : { ...response, body: addSafeguardResultsToStream(response.body, results) }, reply, context, rename)
      : await relayUnary(response, reply, rename, results);
    return outcome;
  }
}

async function relayUnary(response: UpstreamResponse, reply: FastifyReply, rename: string | undefined, results?: readonly SafeguardResult[]): Promise<ExchangeOutcome> {
  const raw = await readBody(response.body, MAX_RESPONSE_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new GatewayError('GW_UPSTREAM_PROTOCOL', { message: 'upstream: response body is not JSON' });
  }
  const { usage, stopReason } = readUnaryUsage(json);
  const renamed = rename === undefined ? raw : rewriteModelField(raw, rename);
  const bytes = results === undefined ? renamed : addSafeguardResultsToMessage(renamed, results);
  await reply.status(200).header('content-type', upstreamContentType(response, 'application/json')).send(bytes);
  return { outcome: 'completed', usage, stopReason };
}

/**
 * Relays SSE bytes unmodified. The upstream already committed to a stream when it sent 200, so
 * the reply is committed at once (no waiting for a first event): bytes flow as they arrive.
 */
async function relayStream(
  response: UpstreamResponse,
  reply: FastifyReply,
  context: RequestContext,
  rename: string | undefined,
): Promise<ExchangeOutcome> {
  const tap = new AnthropicSseTap();
  let outcome: ExchangeOutcome['outcome'] = 'completed';
  let errorCode: ErrorCode | undefined;
  async function* tapped(): AsyncGenerator<Uint8Array> {
    const source = rename === undefined ? response.body : rewriteMessageStartModel(response.body, rename);
    try {
      for await (const chunk of source) {
        tap.push(chunk);
        yield chunk;
      }
      tap.end();
    } catch (error) {
      outcome = context.signal.aborted ? 'client_aborted' : 'upstream_error';
      if (outcome === 'upstream_error') {
        const failure = streamFailure(error);
        errorCode = failure.code;
        yield Buffer.from(formatSseJson(toAnthropicErrorBody(failure, context.requestId)));
      }
    }
    if (outcome === 'completed' && !tap.sawMessageStop && tap.errorEvent === undefined) {
      // The upstream closed cleanly but early: say so, never leave a stream that looks complete.
      outcome = 'upstream_error';
      errorCode = 'GW_UPSTREAM_STREAM_ENDED';
      yield Buffer.from(formatSseJson(toAnthropicErrorBody(new GatewayError(errorCode), context.requestId)));
    }
    if (tap.errorEvent !== undefined) {
      // The upstream's own `event: error` went through as it was sent.
      outcome = 'upstream_error';
      errorCode ??= 'GW_UPSTREAM_ERROR';
    }
  }
  const finished = new Promise<void>((resolve) => reply.raw.once('close', () => resolve()));
  if (context.early) {
    await context.early.relay(tapped());
  } else {
    const frames = Readable.from(tapped(), { objectMode: false });
    reply.status(200).header('content-type', upstreamContentType(response, 'text/event-stream; charset=utf-8')).header('cache-control', 'no-cache').header('x-accel-buffering', 'no');
    void reply.send(frames);
  }
  await finished;
  if (context.signal.aborted && outcome === 'completed' && !tap.sawMessageStop) outcome = 'client_aborted';
  context.timings.firstContentAt = tap.firstContentAt;
  return { outcome, usage: tap.usage, stopReason: tap.stopReason, errorCode };
}

/** The upstream's own content-type, charset parameter and all (a passthrough relays it as sent). */
function upstreamContentType(response: UpstreamResponse, fallback: string): string {
  const value = response.headers['content-type'];
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** A body failure after the 200 becomes the one `event: error` frame the client can see. */
function streamFailure(error: unknown): GatewayError {
  return error instanceof GatewayError ? error : classifyUpstreamFailure(error, 'body');
}

import { Injectable } from '@nestjs/common';
import { GatewayError } from '@turnout/errors';
import type { AnthropicRequest, InboundApi } from '@turnout/protocol';
import type { RouteDecision } from '@turnout/routing';
import { errorExchange, onSettled, type Exchange, type UpstreamReport, type WriteEnd } from '../http/exchange';
import { toGatewayError } from '../http/framework-error';
import type { RequestContext } from '../http/request-context';
import { KeyAccess } from '../keys/key-access';
import { RequestLog } from '../logging/request-log';
import { GatewayMetrics } from '@turnout/observability';
import { canFallBack } from '@turnout/errors';
import { RequestRouter, type RoutedRequest } from '../routing/request-router';
import { describeExchange } from './describe-exchange';
import type { IncomingMessages } from './incoming-messages';
import { openAiTarget } from './openai-forwarder';
import { TargetRunner } from './target-runner';
import { RequestTracing } from '../tracing/request-tracing';

/** Which target answered (or was last tried), filled in as the pipeline goes, read when it settles. */
interface RequestTrace {
  served?: RouteDecision;
}

/**
 * One pass per request (docs/style.md §4): route it (rules, conditions, replica), then try its targets
 * in order (the chosen replica, the other replicas, the fallbacks) until one answers; each
 * target is run by the TargetRunner (circuit, slots, retries, hygiene, the track). The answer
 * is an exchange, a value the controller hands to the one reply writer; when the writer
 * settles it, the outcome is recorded in one place (one log line, one metrics update). The
 * pipeline decides nothing about wire formats and never sees the HTTP reply.
 */
@Injectable()
export class MessagesPipeline {
  constructor(
    private readonly router: RequestRouter,
    private readonly runner: TargetRunner,
    private readonly metrics: GatewayMetrics,
    private readonly log: RequestLog,
    private readonly keys: KeyAccess,
    private readonly tracing: RequestTracing,
  ) {}

  async handle(incoming: IncomingMessages, context: RequestContext): Promise<Exchange> {
    const trace: RequestTrace = {};
    this.tracing.startRequest(context, '/v1/messages', incoming.body.model);
    let exchange: Exchange;
    try {
      const routed = await this.tracing.routeDecision(context, () => this.router.route(incoming.body, incoming.headers, context.signal));
      exchange =
        incoming.body.stream === true && routed.decision.route.commit === 'early'
          ? this.committedEarly(routed, incoming, context, trace)
          : await this.firstAnswer(routed, incoming, context, trace);
    } catch (error) {
      exchange = errorExchange(toGatewayError(error));
    }
    const answered = exchange.body.kind !== 'error';
    return onSettled(exchange, (end, report) => this.record(incoming, trace, answered, end, report, context));
  }

  /**
   * A request refused before the pipeline (no or wrong key, over its rate limit, a malformed
   * envelope): still one log line and one `turnout_requests_total{outcome="client_error"}`, so
   * dashboards see every request the gateway answered, not only the routed ones.
   */
  recordRefused(body: unknown, error: unknown, context: RequestContext, api: InboundApi = 'messages'): void {
    const failure = toGatewayError(error);
    const fields = typeof body === 'object' && body !== null ? (body as { model?: unknown; stream?: unknown }) : {};
    const record = describeExchange({
      body: { model: typeof fields.model === 'string' ? fields.model : '_none', stream: fields.stream === true } as AnthropicRequest,
      decision: undefined,
      rewrites: [],
      result: undefined,
      failure,
      status: failure.status,
      context,
      endedAt: performance.now(),
      api,
    });
    this.metrics.record(record);
    this.log.write(record);
  }

  /** The first target's answer; a failure that may pass moves on to the next target. */
  private async firstAnswer(routed: RoutedRequest, incoming: IncomingMessages, context: RequestContext, trace: RequestTrace): Promise<Exchange> {
    const candidates = routed.snapshot.candidates(routed.decision);
    // An OpenAI request's track depends on what each target speaks, not on its `messages` mode.
    const targets = incoming.openai ? candidates.map(openAiTarget) : candidates;
    for (const [index, target] of targets.entries()) {
      if (index > 0) this.metrics.countFallback((targets[index - 1] as RouteDecision).provider.id, target.provider.id);
      trace.served = target;
      try {
        const exchange = await this.runner.run(target, incoming, context, routed.tokens);
        await this.router.served(routed, target);
        return exchange;
      } catch (error) {
        const last = index === targets.length - 1;
        if (last || context.signal.aborted || !canFallBack(toGatewayError(error))) throw error;
      }
    }
    throw new GatewayError('GW_INTERNAL', { message: 'a route resolved to no target' });
  }

  /**
   * Route `commit: early`: the answer is a stream from the start (the writer sends the 200 and
   * a ping at once, then pings while the upstream prefills), and the targets are tried inside
   * it, so a failure before any content is the stream's one `event: error`.
   */
  private committedEarly(routed: RoutedRequest, incoming: IncomingMessages, context: RequestContext, trace: RequestTrace): Exchange {
    let answer: Exchange | undefined;
    const frames = async function* (this: MessagesPipeline): AsyncGenerator<string | Uint8Array> {
      answer = await this.firstAnswer(routed, incoming, context, trace);
      const { body } = answer;
      if (body.kind === 'frames') yield* body.frames;
      else if (body.kind === 'error') throw body.error;
      else throw new GatewayError('GW_UPSTREAM_PROTOCOL', { message: 'The upstream answered a streaming request with a non-streaming body' });
    }.call(this);
    return {
      status: 200,
      headers: { 'x-turnout-route': routed.decision.route.name, 'x-turnout-provider': routed.decision.provider.id },
      body: { kind: 'frames', frames },
      commitEarly: true,
      pingIntervalMs: routed.decision.route.pingIntervalMs,
      settle: (end) => answer?.settle?.(end),
    };
  }

  /** An error answer is a failure; an answer, even a stream that ended in `event: error`, is a result. */
  private record(
    incoming: IncomingMessages,
    trace: RequestTrace,
    answered: boolean,
    end: WriteEnd,
    report: UpstreamReport | undefined,
    context: RequestContext,
  ): void {
    const { body } = incoming;
    const failedBeforeAnswer = !answered;
    const record = describeExchange({
      body,
      decision: trace.served,
      rewrites: report?.rewrites ?? [],
      result: failedBeforeAnswer ? undefined : { outcome: end.outcome, usage: report?.usage, stopReason: report?.stopReason ?? null, errorCode: end.error?.code },
      failure: failedBeforeAnswer ? end.error : undefined,
      status: end.status,
      context,
      endedAt: performance.now(),
      keyId: incoming.key?.id,
      api: incoming.openai?.api ?? 'messages',
    });
    const traceId = this.tracing.traceIdOf(context);
    this.tracing.endRequest(context, {
      status: end.status,
      ...(end.error === undefined ? {} : { errorCode: end.error.code }),
      ...(report?.usage?.reported ? { inputTokens: report.usage.inputTokens, outputTokens: report.usage.outputTokens } : {}),
      stopReason: report?.stopReason ?? null,
      ...(trace.served === undefined ? {} : { responseModel: trace.served.upstreamModel }),
      ...(incoming.key === undefined ? {} : { keyId: incoming.key.id }),
    });
    this.metrics.record(record);
    this.log.write(traceId === undefined ? record : { ...record, traceId });
    if (report?.usage?.reported) this.keys.recordTokens(incoming.key, report.usage.inputTokens + report.usage.outputTokens);
    if (incoming.key !== undefined) {
      const reported = report?.usage?.reported === true;
      const cost = this.keys.recordUsage(incoming.key, body.model, reported ? report.usage!.inputTokens : 0, reported ? report.usage!.outputTokens : 0);
      if (cost > 0) this.metrics.countKeyCost(incoming.key.id, cost);
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AnthropicRequest } from '@turnout/protocol';
import type { ApiKeyConfig, RouteDecision } from '@turnout/routing';
import { KeyAccess } from '../keys/key-access';
import { toGatewayError } from '../http/framework-error';
import { contentCommitted, type RequestContext } from '../http/request-context';
import { safeHeaderValue } from '../http/safe-header-value';
import { SseBody } from './sse-body';
import { RequestLog } from '../logging/request-log';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { canFallBack } from '../resilience/fallback-codes';
import { RequestRouter } from '../routing/request-router';
import { describeExchange } from './describe-exchange';
import type { ExchangeOutcome } from './exchange-outcome';
import { TargetRunner, type TargetResult } from './target-runner';

/** What the controller hands the pipeline: the parsed body, its bytes, the client's headers. */
export interface IncomingMessages {
  readonly body: AnthropicRequest;
  /** The body exactly as received; passthrough sends these bytes unless a rewrite applies. */
  readonly raw: Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The gateway key that authenticated the request (undefined when the gateway is open). */
  readonly key?: ApiKeyConfig;
}

/**
 * One pass per request (STYLE §4): route it (rules, conditions, replica), then try its targets
 * in order (the chosen replica, the other replicas, the fallbacks) while nothing has reached the client;
 * each target is run by the TargetRunner (circuit, slots, retries, hygiene, the track). The
 * outcome is recorded in one place (one log line, one metrics update). The pipeline decides
 * nothing about wire formats.
 */
@Injectable()
export class MessagesPipeline {
  constructor(
    private readonly router: RequestRouter,
    private readonly runner: TargetRunner,
    private readonly metrics: GatewayMetrics,
    private readonly log: RequestLog,
    private readonly keys: KeyAccess,
  ) {}

  async handle(incoming: IncomingMessages, reply: FastifyReply, requestContext: RequestContext): Promise<void> {
    let context = requestContext;
    const { body } = incoming;
    let served: RouteDecision | undefined;
    let rewrites: readonly string[] = [];
    let result: ExchangeOutcome | undefined;
    let failure: unknown;
    try {
      const routed = await this.router.route(body, incoming.headers, context.signal);
      const targets = routed.snapshot.candidates(routed.decision);
      if (body.stream === true && routed.decision.route.commit === 'early') {
        reply.header('x-turnout-route', safeHeaderValue(routed.decision.route.name)).header('x-turnout-provider', routed.decision.provider.id);
        // Route `commit: early`: the 200 and a first ping now, pings while the upstream prefills.
        const early = new SseBody(reply, routed.decision.route.pingIntervalMs, context.requestId);
        early.ping();
        context = { ...context, early };
      }
      served = targets[0];
      for (const [index, target] of targets.entries()) {
        if (index > 0) this.metrics.countFallback((targets[index - 1] as RouteDecision).provider.id, target.provider.id);
        served = target;
        let outcome: TargetResult;
        try {
          outcome = await this.runner.run(target, incoming, reply, context, routed.tokens);
        } catch (error) {
          const last = index === targets.length - 1;
          if (last || context.signal.aborted || contentCommitted(reply, context) || !canFallBack(toGatewayError(error))) throw error;
          continue;
        }
        result = outcome.result;
        rewrites = outcome.rewrites;
        await this.router.served(routed, target);
        break;
      }
    } catch (error) {
      failure = error;
      // Committed early: the failure can only be the stream's one `event: error`.
      if (context.early) context.early.fail(toGatewayError(error));
      else throw error;
    } finally {
      const record = describeExchange({
        body,
        decision: served,
        rewrites: [...rewrites, ...(result?.rewrites ?? [])],
        result,
        failure: failure === undefined ? undefined : toGatewayError(failure),
        // Committed early, the client got a 200 whatever happened next.
        status: failure === undefined || context.early ? reply.statusCode : toGatewayError(failure).status,
        context,
        endedAt: performance.now(),
        keyId: incoming.key?.id,
      });
      this.metrics.record(record);
      this.log.write(record);
      if (result?.usage?.reported) this.keys.recordTokens(incoming.key, result.usage.inputTokens + result.usage.outputTokens);
    }
  }

  /**
   * A request refused before the pipeline (no or wrong key, over its rate limit, a malformed
   * envelope): still one log line and one `turnout_requests_total{outcome="client_error"}`, so
   * dashboards see every request the gateway answered, not only the routed ones.
   */
  recordRefused(body: unknown, error: unknown, context: RequestContext): void {
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
    });
    this.metrics.record(record);
    this.log.write(record);
  }
}

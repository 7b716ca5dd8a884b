import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@turnout/errors';
import type { FastifyReply } from 'fastify';
import { applyHygiene } from '@turnout/hygiene';
import { forwardedRequestHeaders } from '@turnout/passthrough';
import { sleep } from '@turnout/resilience';
import type { RouteDecision } from '@turnout/routing';
import { toGatewayError } from '../http/framework-error';
import { contentCommitted, type RequestContext } from '../http/request-context';
import { safeHeaderValue } from '../http/safe-header-value';
import { ShutdownSignal } from '../http/shutdown-signal';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { attemptSignal } from '../resilience/attempt-signal';
import { ProviderGuards } from '../resilience/provider-guards';
import type { ExchangeOutcome } from './exchange-outcome';
import { hygieneRulesFor } from './hygiene-rules';
import type { RequestTokens } from './request-tokens';
import { ProviderRegistry } from '../providers/provider-registry';
import type { InflightCounter } from '../routing/inflight-counter';
import { INFLIGHT_COUNTER } from '../routing/routing-tokens';
import type { IncomingMessages } from './messages.pipeline';
import { PassthroughForwarder } from './passthrough-forwarder';
import { TranslationForwarder } from './translation-forwarder';

export interface TargetResult {
  readonly result: ExchangeOutcome;
  /** The hygiene and header rewrites applied for this target. */
  readonly rewrites: readonly string[];
}

/**
 * One target of a request (a provider, its mode, its model): its circuit must allow it and a
 * slot must be free (or come free in time), then the request goes down the passthrough or the
 * translation track, retried with backoff while nothing has reached the client. Throws when
 * the target failed before the first byte, so the pipeline can try the next one.
 */
@Injectable()
export class TargetRunner {
  constructor(
    private readonly passthrough: PassthroughForwarder,
    private readonly translation: TranslationForwarder,
    private readonly guards: ProviderGuards,
    private readonly metrics: GatewayMetrics,
    private readonly shutdown: ShutdownSignal,
    private readonly registry: ProviderRegistry,
    @Inject(INFLIGHT_COUNTER) private readonly inflight: InflightCounter,
  ) {}

  async run(target: RouteDecision, incoming: IncomingMessages, reply: FastifyReply, context: RequestContext, tokens: RequestTokens): Promise<TargetResult> {
    const { body } = incoming;
    reply.header('x-turnout-route', safeHeaderValue(target.route.name));
    await this.refuseIfTooLong(target, tokens);
    const hygiene = applyHygiene(body, hygieneRulesFor(target));
    const rewrites = [...hygiene.rewrites];
    const upstreamHeaders = target.mode === 'native' ? forwardedRequestHeaders(incoming.headers, target.provider.betas) : undefined;
    if (upstreamHeaders && upstreamHeaders.droppedBetas.length > 0) rewrites.push(`drop-betas(${upstreamHeaders.droppedBetas.join(' ')})`);
    reply.header('x-turnout-provider', target.provider.id).header('x-turnout-mode', target.mode);
    if (rewrites.length > 0) reply.header('x-turnout-rewrites', safeHeaderValue(rewrites.join(', ')));
    else reply.removeHeader('x-turnout-rewrites');

    const pass = await this.guards.admit(target.provider, context.signal, target.route);
    this.metrics.requestStarted(target.provider.id);
    this.inflight.started(target.provider.id);
    try {
      for (let attempt = 1; ; attempt++) {
        const upstream = attemptSignal(context.signal, target.provider, this.shutdown.signal);
        const attemptContext: RequestContext = { ...context, upstreamSignal: upstream.signal };
        try {
          const result = upstreamHeaders
            ? await this.passthrough.forward(
                {
                  // Re-serialized only when a hygiene rule changed the request; otherwise the client's bytes.
                  bytes: hygiene.request === body ? incoming.raw : Buffer.from(JSON.stringify(hygiene.request)),
                  requestedModel: body.model,
                  stream: body.stream === true,
                  headers: upstreamHeaders.headers,
                },
                target,
                reply,
                attemptContext,
              )
            : await this.translation.forward(hygiene.request, target, reply, attemptContext);
          pass.report(result.outcome === 'upstream_error' ? 'failure' : result.outcome === 'completed' ? 'success' : 'neutral');
          return { result, rewrites };
        } catch (error) {
          const failure = toGatewayError(error);
          pass.report(failure);
          if (contentCommitted(reply, context) || context.signal.aborted) throw error;
          const decision = this.guards.retryPolicy(target.provider).decide(failure, attempt);
          if (!decision.retry) throw error;
          this.metrics.countRetry(target.provider.id, failure.code);
          await sleep(decision.delayMs, context.signal);
        } finally {
          upstream.dispose();
        }
      }
    } finally {
      this.metrics.requestEnded(target.provider.id);
      this.inflight.ended(target.provider.id);
      pass.release();
    }
  }

  /**
   * A prompt that cannot fit the target's context window is refused before any prefill, with
   * the wording Claude Code compacts on. The estimate decides when it is clearly below; near or
   * over the window, the upstream's exact count (where it has one) decides.
   */
  async windowVerdict(target: RouteDecision, tokens: RequestTokens): Promise<WindowVerdict> {
    const window = this.registry.contextWindowOf(target.provider.id);
    if (window === undefined) return { fits: true, why: `no context window known for provider ${target.provider.id}: not checked` };
    const estimate = tokens.estimate();
    if (estimate < window * ESTIMATE_SAFE_FRACTION) {
      return { fits: true, window, tokens: estimate, why: `fits: about ${estimate} tokens (estimate), under ${ESTIMATE_SAFE_FRACTION * 100}% of the ${window}-token window` };
    }
    const counted = await tokens.forTarget(target);
    if (counted.tokens > window) {
      return { fits: false, window, tokens: counted.tokens, why: `refused before any prefill: prompt is too long: ${counted.tokens} tokens > ${window} maximum` };
    }
    return { fits: true, window, tokens: counted.tokens, why: `fits: ${counted.tokens} tokens (counted) of the ${window}-token window` };
  }

  private async refuseIfTooLong(target: RouteDecision, tokens: RequestTokens): Promise<void> {
    const verdict = await this.windowVerdict(target, tokens);
    if (!verdict.fits) {
      throw new GatewayError('GW_INVALID_REQUEST', {
        message: `prompt is too long: ${verdict.tokens} tokens > ${verdict.window} maximum`,
        headers: { 'x-should-retry': 'false' },
      });
    }
  }
}

/** Whether a prompt fits a target's context window, and the sentence explain shows. */
export interface WindowVerdict {
  readonly fits: boolean;
  readonly window?: number;
  readonly tokens?: number;
  readonly why: string;
}

/** Below this share of the window, the estimate alone says the prompt fits (estimates err by far less). */
const ESTIMATE_SAFE_FRACTION = 0.7;

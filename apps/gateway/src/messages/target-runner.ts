import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@turnout/errors';
import { applyHygiene } from '@turnout/hygiene';
import { forwardedRequestHeaders } from '@turnout/passthrough';
import { sleep } from '@turnout/resilience';
import type { RouteDecision } from '@turnout/routing';
import { onSettled, withHeaders, type Exchange, type UpstreamReport, type WriteEnd } from '../http/exchange';
import { toGatewayError } from '../http/framework-error';
import type { RequestContext } from '../http/request-context';
import { ShutdownSignal } from '../http/shutdown-signal';
import { GatewayMetrics } from '@turnout/observability';
import { attemptSignal, ProviderGuards } from '@turnout/resilience';
import { addWaited, closeFailedAttempt } from '../http/waited-time';
import { hygieneRulesFor } from '../providers/hygiene-rules';
import type { IncomingMessages } from './incoming-messages';
import { betaPolicyFor, passthroughSafeguardResults } from '../providers/safeguards-policy';
import type { RequestTokens } from '../routing/request-tokens';
import { ProviderRegistry } from '../providers/provider-registry';
import type { InflightCounter } from '@turnout/routing';
import { INFLIGHT_COUNTER } from '../routing/routing-tokens';
import { OpenAiForwarder } from './openai-forwarder';
import { RequestTracing, type TracedOutcome } from '../tracing/request-tracing';
import { PassthroughForwarder } from './passthrough-forwarder';
import { REWRITES_HEADER, TranslationForwarder } from './translation-forwarder';

/**
 * One target of a request (a provider, its mode, its model): its circuit must allow it and a
 * slot must be free (or come free in time), then the request goes down the passthrough or the
 * translation track, retried with backoff until a forwarder answers. The answer is an
 * exchange that holds the slot, the attempt's timeout and the in-flight count until the writer
 * settles it. Throws when the target failed before answering, so the pipeline can try the next.
 */
@Injectable()
export class TargetRunner {
  constructor(
    private readonly passthrough: PassthroughForwarder,
    private readonly translation: TranslationForwarder,
    private readonly openAi: OpenAiForwarder,
    private readonly guards: ProviderGuards,
    private readonly metrics: GatewayMetrics,
    private readonly shutdown: ShutdownSignal,
    private readonly registry: ProviderRegistry,
    @Inject(INFLIGHT_COUNTER) private readonly inflight: InflightCounter,
    private readonly tracing: RequestTracing,
  ) {}

  async run(target: RouteDecision, incoming: IncomingMessages, context: RequestContext, tokens: RequestTokens): Promise<Exchange> {
    const { body } = incoming;
    await this.refuseIfTooLong(target, tokens);
    // OpenAI passthrough forwards the client's chat bytes: rules written for Anthropic bodies do not apply.
    const hygiene = target.protocol === 'openai-chat' && incoming.openai ? { request: body, rewrites: [] } : applyHygiene(body, hygieneRulesFor(target));
    const rewrites = [...hygiene.rewrites];
    const upstreamHeaders = target.mode === 'native' && incoming.openai === undefined ? forwardedRequestHeaders(incoming.headers, betaPolicyFor(target)) : undefined;
    if (upstreamHeaders && upstreamHeaders.droppedBetas.length > 0) rewrites.push(`drop-betas(${upstreamHeaders.droppedBetas.join(' ')})`);

    closeFailedAttempt(context.timings); // a previous target's attempt, when this one is a fallback
    const admitStartedAt = performance.now();
    const pass = await this.guards.admit(target.provider, context.signal, target.route);
    addWaited(context.timings, performance.now() - admitStartedAt);
    this.metrics.requestStarted(target.provider.id);
    this.inflight.started(target.provider.id);
    const release = (): void => {
      this.metrics.requestEnded(target.provider.id);
      this.inflight.ended(target.provider.id);
      pass.release();
    };
    try {
      for (let attempt = 1; ; attempt++) {
        const upstream = attemptSignal(context.signal, target.provider, this.shutdown.signal);
        const traced = this.tracing.startAttempt(context, target, attempt);
        // Two literals rather than a conditional spread, which V8 builds through its runtime.
        const attemptContext: RequestContext = traced
          ? { ...context, upstreamSignal: upstream.signal, traceparent: traced.traceparent }
          : { ...context, upstreamSignal: upstream.signal };
        let exchange: Exchange;
        try {
          exchange = incoming.openai
            ? await this.openAi.forward(target, incoming.openai, hygiene.request, attemptContext)
            : upstreamHeaders
            ? await this.passthrough.forward(
                {
                  // Re-serialized only when a hygiene rule changed the request; otherwise the client's bytes.
                  bytes: hygiene.request === body ? incoming.raw : Buffer.from(JSON.stringify(hygiene.request)),
                  requestedModel: body.model,
                  stream: body.stream === true,
                  headers: upstreamHeaders.headers,
                  safeguardResults: passthroughSafeguardResults(target, body),
                },
                target,
                attemptContext,
              )
            : await this.translation.forward(hygiene.request, target, attemptContext);
        } catch (error) {
          upstream.dispose();
          const failure = toGatewayError(error);
          this.tracing.failAttempt(traced, failure.code, failure.message);
          // One outcome per request: the circuit hears the last report, once, at release.
          pass.report(failure);
          if (context.signal.aborted) throw error;
          const decision = this.guards.retryPolicy(target.provider).decide(failure, attempt);
          if (!decision.retry) throw error;
          this.metrics.countRetry(target.provider.id, failure.code);
          closeFailedAttempt(context.timings);
          const sleptFrom = performance.now();
          await sleep(decision.delayMs, context.signal);
          const sleptMs = performance.now() - sleptFrom;
          addWaited(context.timings, sleptMs);
          this.metrics.observeRetryBackoff(target.provider.id, sleptMs / 1000);
          continue;
        }
        // Pings fill the route's silences on both tracks: the writer only ever puts them between whole frames.
        const answered = { ...withHeaders(exchange, targetHeaders(target, rewrites, exchange.headers[REWRITES_HEADER])), pingIntervalMs: target.route.pingIntervalMs };
        return onSettled(answered, (end, report) => {
          upstream.dispose();
          // Described only when traced: tracing is off by default, and this runs once per request.
          if (traced !== undefined) this.tracing.endAttempt(traced, attemptOutcome(end, report, target.upstreamModel));
          // A stream that broke is judged by its error like any failure (a 4xx never opens the circuit).
          pass.report(end.outcome === 'completed' ? 'success' : end.error ?? 'neutral');
          release();
          return { usage: report?.usage, stopReason: report?.stopReason ?? null, rewrites: [...rewrites, ...(report?.rewrites ?? [])] };
        });
      }
    } catch (error) {
      release();
      throw error;
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

/** Where the answer came from, on every answer: route, provider, mode and the rewrites applied. */
function targetHeaders(target: RouteDecision, rewrites: readonly string[], forwarderRewrites: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'x-turnout-route': target.route.name,
    'x-turnout-provider': target.provider.id,
    'x-turnout-mode': target.mode,
  };
  const named = forwarderRewrites === undefined ? rewrites : [...rewrites, forwarderRewrites];
  if (named.length > 0) headers[REWRITES_HEADER] = named.join(', ');
  return headers;
}

function attemptOutcome(end: WriteEnd, report: UpstreamReport | undefined, responseModel: string): TracedOutcome {
  const outcome: { -readonly [K in keyof TracedOutcome]: TracedOutcome[K] } = { status: end.status, stopReason: report?.stopReason ?? null, responseModel };
  if (end.outcome !== 'completed') outcome.errorCode = end.error?.code ?? end.outcome;
  if (report?.usage?.reported) {
    outcome.inputTokens = report.usage.inputTokens;
    outcome.outputTokens = report.usage.outputTokens;
  }
  return outcome;
}

import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { RouteDecision } from '@turnout/routing';
import type { RequestContext } from '../http/request-context';

/** What a finished exchange tells its spans (no prompt or completion text: those are never recorded). */
export interface TracedOutcome {
  readonly status: number;
  readonly errorCode?: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly stopReason?: string | null;
  readonly responseModel?: string;
  readonly keyId?: string;
}

/** One request's spans: the server span and its open attempt, found through the request's timings object (shared by every copy of its context). */
interface RequestSpans {
  readonly server: Span;
}

/**
 * OpenTelemetry traces (issue 19, 4): off unless OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; then OTLP/HTTP with JSON bodies
 * (@opentelemetry/exporter-trace-otlp-http, which reads the standard OTEL_* variables itself),
 * batched. Per request: a SERVER span, a child for the route decision and one CLIENT span per
 * upstream attempt (retries and fallbacks each get their own), with the GenAI semantic-convention
 * attributes; the attempt's W3C `traceparent` goes to the upstream. Spans are parented
 * explicitly (no global context manager, no AsyncLocalStorage), and when tracing is off every
 * method returns at its first line, so the request path pays one property read per call.
 */
@Injectable()
export class RequestTracing implements OnApplicationShutdown {
  private readonly provider: BasicTracerProvider | undefined;
  private readonly tracer: Tracer | undefined;
  private readonly spans = new WeakMap<object, RequestSpans>();

  constructor() {
    const endpoint = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (!endpoint || process.env.OTEL_SDK_DISABLED === 'true') return;
    // Loaded only when on: a gateway without tracing neither loads nor initialises the SDK.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
    /* eslint-enable @typescript-eslint/no-require-imports */
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || 'turnout' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
    });
    this.tracer = this.provider.getTracer('turnout');
  }

  get enabled(): boolean {
    return this.tracer !== undefined;
  }

  /** The request's SERVER span. */
  startRequest(context: RequestContext, path: string, model: string): void {
    if (!this.tracer) return;
    const server = this.tracer.startSpan(`POST ${path}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': 'POST', 'url.path': path, 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model, 'turnout.request_id': context.requestId },
    });
    this.spans.set(context.timings, { server });
  }

  /** The trace id of the request (for its log line), when traced. */
  traceIdOf(context: RequestContext): string | undefined {
    if (!this.tracer) return undefined;
    return this.spans.get(context.timings)?.server.spanContext().traceId;
  }

  /** Runs the route decision inside its own child span (off: the decision itself, no extra promise). */
  routeDecision<T extends { decision: RouteDecision }>(context: RequestContext, decide: () => Promise<T>): Promise<T> {
    const parent = this.tracer ? this.spans.get(context.timings) : undefined;
    if (!this.tracer || !parent) return decide();
    return this.tracedRoute(this.tracer, parent, decide);
  }

  private async tracedRoute<T extends { decision: RouteDecision }>(tracer: Tracer, parent: RequestSpans, decide: () => Promise<T>): Promise<T> {
    const span = tracer.startSpan('route', { kind: SpanKind.INTERNAL }, trace.setSpan(ROOT_CONTEXT, parent.server));
    try {
      const routed = await decide();
      span.setAttributes({ 'turnout.route': routed.decision.route.name, 'turnout.provider': routed.decision.provider.id, 'turnout.mode': routed.decision.mode, 'gen_ai.request.model': routed.decision.upstreamModel });
      return routed;
    } catch (error) {
      failSpan(span, (error as { code?: string }).code ?? 'error', (error as Error).message);
      throw error;
    } finally {
      span.end();
    }
  }

  /** A CLIENT span for one upstream attempt; returns it and the `traceparent` to send upstream. */
  startAttempt(context: RequestContext, target: RouteDecision, attempt: number): { span: Span; traceparent: string } | undefined {
    const parent = this.tracer ? this.spans.get(context.timings) : undefined;
    if (!this.tracer || !parent) return undefined;
    const address = safeUrl(target.provider.baseUrl);
    const span = this.tracer.startSpan(
      `chat ${target.upstreamModel}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': target.provider.kind,
          'gen_ai.request.model': target.upstreamModel,
          ...(address ? { 'server.address': address.hostname, 'server.port': Number(address.port || (address.protocol === 'https:' ? 443 : 80)) } : {}),
          'turnout.provider': target.provider.id,
          'turnout.mode': target.mode,
          'turnout.attempt': attempt,
        },
      },
      trace.setSpan(ROOT_CONTEXT, parent.server),
    );
    const { traceId, spanId, traceFlags } = span.spanContext();
    return { span, traceparent: `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}` };
  }

  /** Ends an attempt span that failed (a retry or a fallback follows, or the request fails). */
  failAttempt(attempt: { span: Span } | undefined, code: string, message: string): void {
    if (!attempt) return;
    failSpan(attempt.span, code, message);
    attempt.span.end();
  }

  /** Ends an attempt span that answered, once its exchange is settled. */
  endAttempt(attempt: { span: Span } | undefined, outcome: TracedOutcome): void {
    if (!attempt) return;
    finish(attempt.span, outcome);
  }

  /** Ends the request's SERVER span. */
  endRequest(context: RequestContext, outcome: TracedOutcome): void {
    if (!this.tracer) return;
    const spans = this.spans.get(context.timings);
    if (!spans) return;
    this.spans.delete(context.timings);
    if (outcome.keyId !== undefined) spans.server.setAttribute('turnout.key', outcome.keyId);
    spans.server.setAttribute('http.response.status_code', outcome.status);
    finish(spans.server, outcome);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.provider?.shutdown().catch(() => undefined);
  }
}

function finish(span: Span, outcome: TracedOutcome): void {
  const attributes: Attributes = {};
  if (outcome.responseModel !== undefined) attributes['gen_ai.response.model'] = outcome.responseModel;
  if (outcome.inputTokens !== undefined) attributes['gen_ai.usage.input_tokens'] = outcome.inputTokens;
  if (outcome.outputTokens !== undefined) attributes['gen_ai.usage.output_tokens'] = outcome.outputTokens;
  if (outcome.stopReason) attributes['gen_ai.response.finish_reasons'] = [outcome.stopReason];
  span.setAttributes(attributes);
  if (outcome.errorCode !== undefined || outcome.status >= 400) failSpan(span, outcome.errorCode ?? String(outcome.status), `HTTP ${outcome.status}`);
  span.end();
}

function failSpan(span: Span, code: string, message: string): void {
  span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: message.slice(0, 256) });
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

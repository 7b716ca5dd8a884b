import { errorOutcome, type ErrorCode, type GatewayError } from '@turnout/errors';
import type { AnthropicRequest, InboundApi, StopReason } from '@turnout/protocol';
import type { RouteDecision } from '@turnout/routing';
import type { UsageReport } from '@turnout/translate';
import type { StreamOutcome } from '../http/exchange';
import type { RequestContext } from '../http/request-context';
import type { ExchangeRecord, RequestOutcome } from '@turnout/observability';

/** What an answered request came to: how its writing ended and what the upstream reported. */
export interface ExchangeOutcome {
  readonly outcome: StreamOutcome;
  readonly usage: UsageReport | undefined;
  readonly stopReason: StopReason | string | null;
  /** Set when a committed stream ended with `event: error`: what went wrong, for the error metrics. */
  readonly errorCode?: ErrorCode;
}

export interface ExchangeFacts {
  readonly body: AnthropicRequest;
  readonly decision: RouteDecision | undefined;
  readonly rewrites: readonly string[];
  readonly result: ExchangeOutcome | undefined;
  /** Set when the request failed before its answer was committed (rendered as a JSON error). */
  readonly failure: GatewayError | undefined;
  readonly status: number;
  readonly context: RequestContext;
  readonly endedAt: number;
  readonly keyId?: string;
  /** The API the request came by; `messages` unless an OpenAI controller says otherwise. */
  readonly api?: InboundApi;
}

const SECONDS = 1 / 1000;

/** Turns what the pipeline saw into the one record the log line and the metrics share. */
export function describeExchange(facts: ExchangeFacts): ExchangeRecord {
  const { body, decision, result, failure, context } = facts;
  const { timings } = context;
  const stream = body.stream === true;
  const usage = result?.usage;
  const ttftMs = stream && timings.firstContentAt !== undefined ? timings.firstContentAt - context.startedAt : undefined;
  const upstreamMs =
    timings.upstreamSentAt !== undefined && timings.upstreamEndedAt !== undefined ? timings.upstreamEndedAt - timings.upstreamSentAt : undefined;
  const durationMs = facts.endedAt - context.startedAt;
  return {
    requestId: context.requestId,
    keyId: facts.keyId,
    api: facts.api ?? 'messages',
    model: body.model,
    route: decision?.route.match ?? null,
    provider: decision?.provider.id ?? null,
    mode: decision?.mode ?? null,
    stream,
    status: facts.status,
    outcome: outcomeOf(result, failure, context.signal.aborted),
    errorCode: failure?.code ?? result?.errorCode ?? null,
    stopReason: result?.stopReason ?? null,
    usage,
    rewrites: facts.rewrites,
    durationS: durationMs * SECONDS,
    ttftS: ttftMs === undefined ? undefined : ttftMs * SECONDS,
    timePerOutputTokenS: timePerOutputToken(stream, timings.firstContentAt, timings.upstreamEndedAt, usage?.reported ? usage.outputTokens : 0),
    overheadS: upstreamMs === undefined ? undefined : Math.max(0, durationMs - upstreamMs - (timings.waitedMs ?? 0)) * SECONDS,
  };
}

function outcomeOf(result: ExchangeOutcome | undefined, failure: GatewayError | undefined, aborted: boolean): RequestOutcome {
  if (aborted || failure?.code === 'GW_CLIENT_ABORTED') return 'client_aborted';
  if (result) return result.outcome;
  if (!failure) return 'gateway_error';
  return errorOutcome(failure.code);
}

/** Generation speed as the client saw it: first content to the upstream's end, over the tokens after the first. */
function timePerOutputToken(stream: boolean, firstContentAt: number | undefined, endedAt: number | undefined, outputTokens: number): number | undefined {
  if (!stream || firstContentAt === undefined || endedAt === undefined || outputTokens < 2) return undefined;
  return ((endedAt - firstContentAt) / (outputTokens - 1)) * SECONDS;
}

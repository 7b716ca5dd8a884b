import type { ErrorCode } from '@turnout/errors';
import type { RouteMode } from '@turnout/routing';
import type { UsageReport } from '@turnout/translate';
import type { InboundApi } from '@turnout/protocol';

/**
 * How a request ended, from a closed list (it is a metric label):
 * - `completed`: the client got the whole answer;
 * - `client_error`: refused before any upstream call (bad body, unknown model, 4xx of ours);
 * - `upstream_error`: the upstream failed, refused or broke its stream;
 * - `gateway_error`: a bug of ours (500);
 * - `client_aborted`: the client went away first.
 */
export type RequestOutcome = 'completed' | 'client_error' | 'upstream_error' | 'gateway_error' | 'client_aborted';

export const REQUEST_OUTCOMES: readonly RequestOutcome[] = ['completed', 'client_error', 'upstream_error', 'gateway_error', 'client_aborted'];

/** Everything known about one finished request: the request log line and the metrics read it. */
export interface ExchangeRecord {
  readonly requestId: string;
  /** The OpenTelemetry trace id when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT). */
  readonly traceId?: string;
  /** The gateway key's id (its label, never the key); undefined when the gateway is open. */
  readonly keyId?: string;
  /** Which API the request came by (issue 17): one pipeline serves them all. */
  readonly api: InboundApi;
  readonly model: string;
  /** Null when no route matched (the request was refused before routing finished). */
  readonly route: string | null;
  readonly provider: string | null;
  readonly mode: RouteMode | null;
  readonly stream: boolean;
  readonly status: number;
  readonly outcome: RequestOutcome;
  readonly errorCode: ErrorCode | null;
  readonly stopReason: string | null;
  readonly usage: UsageReport | undefined;
  readonly rewrites: readonly string[];
  readonly durationS: number;
  /** Streams only: request start to the first content-bearing event (not message_start, not ping). */
  readonly ttftS: number | undefined;
  /** Streams only: mean gap between output tokens after the first. */
  readonly timePerOutputTokenS: number | undefined;
  /** Time spent in Turnout itself: the whole duration minus the time the upstream held the request. */
  readonly overheadS: number | undefined;
}

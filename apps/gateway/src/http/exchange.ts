import type { GatewayError } from '@turnout/errors';
import type { StopReason } from '@turnout/protocol';
import type { UsageReport } from '@turnout/translate';
import type { ErrorRenderer } from './error-renderers';

/**
 * What a handler answers, as a value: the forwarders, the pipeline and the controllers build
 * one, and only the reply writer (`ReplyWriter`) puts it on the wire. Nothing below the
 * controllers sees the HTTP reply, so status and headers are decided in one place and a stream
 * is framed by one writer.
 */
export interface Exchange {
  readonly status: number;
  /** Response headers besides those the writer owns (content-type, request-id, the SSE set). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ExchangeBody;
  /**
   * Streams: the route commits early (`commit: early`), so the writer flushes the 200 with a
   * ping before the first frame exists. Only the writer acts on it.
   */
  readonly commitEarly?: boolean;
  /** Streams: a `ping` after this much silence. */
  readonly pingIntervalMs?: number;
  /**
   * How the client's API words errors and pings (`ANTHROPIC_ERRORS` when absent): the error
   * answer's body, a failed stream's last frames, the keep-alive. Set by the inbound API's
   * controller (or the wrapper that owns the stream's numbering, as for Responses events).
   */
  readonly errors?: ErrorRenderer;
  /**
   * Called exactly once, when the body has been written or abandoned (the client left, the
   * writer stopped early): releases what the exchange held (an upstream slot, a timeout) and
   * says what the upstream reported. Each layer that holds something wraps it (`onSettled`).
   */
  readonly settle?: (end: WriteEnd) => UpstreamReport | undefined;
}

export type ExchangeBody =
  /** A whole body: a unary answer. */
  | { readonly kind: 'bytes'; readonly contentType: string; readonly bytes: Buffer | string }
  /**
   * An event stream: each item is one or more *complete* SSE frames. The iterable throws a
   * GatewayError to end the stream with the one `event: error`.
   */
  | { readonly kind: 'frames'; readonly frames: AsyncIterable<string | Uint8Array>; readonly contentType?: string }
  /** An error answer, rendered by the exchange's `errors` (Anthropic's JSON by default) with the error's status. */
  | { readonly kind: 'error'; readonly error: GatewayError };

export type StreamOutcome = 'completed' | 'upstream_error' | 'client_aborted';

/** How writing an exchange ended, as the writer saw it. */
export interface WriteEnd {
  /** The status the client received (a stream is 200 whatever happened after). */
  readonly status: number;
  readonly outcome: StreamOutcome;
  /** What the client was told went wrong: the error answer, or the stream's `event: error`. */
  readonly error?: GatewayError;
}

/** What the upstream said about the exchange, for logs, metrics and token limits. */
export interface UpstreamReport {
  readonly usage: UsageReport | undefined;
  readonly stopReason: StopReason | string | null;
  /** Rewrites applied to this request (hygiene, dropped betas, `drop-thinking`). */
  readonly rewrites?: readonly string[];
}

/** The error answer for a failure before anything was written. */
export function errorExchange(error: GatewayError): Exchange {
  return { status: error.status, headers: error.headers, body: { kind: 'error', error } };
}

/** The same exchange with more headers (later ones win). */
export function withHeaders(exchange: Exchange, headers: Readonly<Record<string, string>>): Exchange {
  return { ...exchange, headers: { ...exchange.headers, ...headers } };
}

/**
 * The same exchange, with `after` run once it settles (after the inner settle, whose report it
 * sees and may replace). Layers release what they hold here, innermost first.
 */
export function onSettled(
  exchange: Exchange,
  after: (end: WriteEnd, report: UpstreamReport | undefined) => UpstreamReport | undefined | void,
): Exchange {
  const inner = exchange.settle;
  return {
    ...exchange,
    settle: (end) => {
      const report = inner?.(end);
      return after(end, report) ?? report;
    },
  };
}

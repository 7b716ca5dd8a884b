import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * When things happened during one exchange (performance.now() values), filled in by the
 * forwarders as they go. Per request, never shared: the pipeline turns it into TTFT, time per
 * output token and the gateway's own overhead.
 */
export interface ExchangeTimings {
  /** The upstream request was handed to the connection pool. */
  upstreamSentAt?: number;
  /** The upstream's body ended (or failed). */
  upstreamEndedAt?: number;
  /** The first content-bearing event went to the client (streams). */
  firstContentAt?: number;
  /** Queue waits, retry back-offs and failed attempts' upstream time (http/waited-time.ts). */
  waitedMs?: number;
}

/** Per-request facts shared by the controller, the pipeline and the forwarders. */
export interface RequestContext {
  readonly requestId: string;
  readonly startedAt: number;
  /** Aborted when the client disconnects before the response is complete. */
  readonly signal: AbortSignal;
  /**
   * What upstream calls listen to: the client's signal by default; per attempt, the pipeline
   * swaps in one that also carries the total timeout (or, for `drain` providers, only that).
   */
  readonly upstreamSignal: AbortSignal;
  /** The W3C trace context of the current upstream attempt, sent upstream when tracing is on. */
  readonly traceparent?: string;
  readonly timings: ExchangeTimings;
}

/**
 * Ties an AbortController to the client socket: `close` on the response before it finished
 * means the client went away, and everything upstream listening to the signal stops.
 */
export function createRequestContext(request: FastifyRequest, reply: FastifyReply): RequestContext {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return { requestId: request.id, startedAt: performance.now(), signal: controller.signal, upstreamSignal: controller.signal, timings: {} };
}

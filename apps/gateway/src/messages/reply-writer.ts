import type { FastifyReply } from 'fastify';
import { GatewayError, type ErrorCode } from '@turnout/errors';
import type { AnthropicStreamEvent } from '@turnout/protocol';
import { toGatewayError } from '../http/framework-error';
import type { ExchangeTimings } from '../http/request-context';
import { formatStreamEvent } from './format-stream-event';
import { SseBody } from './sse-body';

export type StreamOutcome = 'completed' | 'upstream_error' | 'client_aborted';

export interface SseWriteOptions {
  readonly requestId: string;
  readonly pingIntervalMs: number;
  /** Aborted when the client goes away; the upstream request listens to the same signal. */
  readonly signal: AbortSignal;
  /** Where the time of the first content-bearing event is noted (TTFT). */
  readonly timings: ExchangeTimings;
  /** An already-committed stream (route `commit: early`) to write through. */
  readonly early?: SseBody;
}

export interface StreamEnd {
  readonly outcome: StreamOutcome;
  /** Why the stream ended with `event: error`, when it did. */
  readonly errorCode?: ErrorCode;
}

export interface SseWriteResult {
  /** Settles when the last byte was handed to the socket (or the stream was cut). */
  readonly done: Promise<StreamEnd>;
}

/**
 * Writes an Anthropic event stream from batches of events (a batch: what one upstream event
 * became, written as one string). Nothing is sent until the first event exists: if producing it
 * fails (upstream refused, 4xx, broken first frame) the error propagates and becomes a JSON error
 * with a real status (docs/style.md rule 5). After the 200, a failure becomes one final `event: error`
 * frame, never a stream that merely stops and looks complete. Pings fill upstream silences.
 */
export async function writeSse(
  reply: FastifyReply,
  batches: AsyncIterable<readonly AnthropicStreamEvent[]>,
  options: SseWriteOptions,
): Promise<SseWriteResult> {
  const iterator = batches[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) throw new GatewayError('GW_UPSTREAM_STREAM_ENDED', { message: 'upstream stream produced no events' });

  const body = options.early ?? new SseBody(reply, options.pingIntervalMs, options.requestId);
  const done = pump(first.value, iterator, body, options);
  return { done };
}

async function pump(
  first: readonly AnthropicStreamEvent[],
  rest: AsyncIterator<readonly AnthropicStreamEvent[]>,
  body: SseBody,
  options: SseWriteOptions,
): Promise<StreamEnd> {
  try {
    await body.write(format(first, options.timings));
    for (;;) {
      if (body.closed) return { outcome: 'client_aborted' };
      const next = await rest.next();
      if (next.done) break;
      if (next.value.length > 0) await body.write(format(next.value, options.timings));
    }
    return body.closed && options.signal.aborted ? { outcome: 'client_aborted' } : { outcome: 'completed' };
  } catch (caught) {
    if (options.signal.aborted || body.closed) return { outcome: 'client_aborted' };
    const error = toGatewayError(caught);
    body.fail(error);
    return { outcome: 'upstream_error', errorCode: error.code };
  } finally {
    body.end();
    // Lets the source release the upstream body when the client left first.
    void Promise.resolve(rest.return?.()).catch(() => undefined);
  }
}

function format(events: readonly AnthropicStreamEvent[], timings: ExchangeTimings): string {
  let text = '';
  for (const event of events) {
    if (event.type === 'content_block_delta') timings.firstContentAt ??= performance.now();
    text += formatStreamEvent(event);
  }
  return text;
}

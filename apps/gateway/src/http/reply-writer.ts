import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { asGatewayError, type GatewayError } from '@turnout/errors';
import { ANTHROPIC_ERRORS, type ErrorRenderer } from './error-renderers';
import type { Exchange, UpstreamReport, WriteEnd } from './exchange';
import { safeHeaderValue } from './safe-header-value';

const DEFAULT_PING_INTERVAL_MS = 10_000;

export interface WriteOptions {
  readonly requestId: string;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

export interface Written {
  readonly end: WriteEnd;
  /** What the exchange's settle said the upstream reported. */
  readonly report: UpstreamReport | undefined;
}

/**
 * The one writer of every model API's answers (`/v1/messages`, count_tokens, `/v1/chat/completions`, `/v1/responses`): it writes the
 * status and headers once, the body (bytes, an error, or complete SSE frames), pings during
 * silences and the stream's single final `event: error`, always between whole frames, stops
 * when the client leaves, then settles the exchange exactly once and reports how it ended.
 */
export async function writeExchange(reply: FastifyReply, exchange: Exchange, options: WriteOptions): Promise<Written> {
  let end: WriteEnd = { status: exchange.status, outcome: 'upstream_error' };
  let report: UpstreamReport | undefined;
  try {
    end = await writeBody(reply, exchange, options);
  } finally {
    // Settled even if writing threw (a bug of ours): the slot and timers must be released.
    report = exchange.settle?.(end);
  }
  return { end, report };
}

async function writeBody(reply: FastifyReply, exchange: Exchange, options: WriteOptions): Promise<WriteEnd> {
  const { body } = exchange;
  switch (body.kind) {
    case 'error':
      sendErrorReply(reply, body.error, options.requestId, exchange.headers, exchange.errors);
      return { status: body.error.status, outcome: body.error.code === 'GW_CLIENT_ABORTED' ? 'client_aborted' : 'upstream_error', error: body.error };
    case 'bytes':
      reply.headers(safeHeaders(exchange.headers)).status(exchange.status).header('content-type', body.contentType);
      await reply.send(body.bytes);
      return { status: exchange.status, outcome: options.signal.aborted ? 'client_aborted' : 'completed' };
    case 'frames':
      return writeStream(reply, exchange, body.frames, options);
  }
}

/**
 * The only place an error becomes an HTTP response: the client API's envelope (Anthropic's
 * unless a renderer says otherwise), right status, `request-id` header, and the error's own
 * headers (`retry-after` and the like). The exception filter uses it for what fails before a
 * handler returns an exchange.
 */
export function sendErrorReply(
  reply: FastifyReply,
  error: GatewayError,
  requestId: string,
  headers: Readonly<Record<string, string>> = {},
  renderer: ErrorRenderer = ANTHROPIC_ERRORS,
): void {
  reply.headers(safeHeaders({ ...headers, ...error.headers }));
  reply
    .status(error.status)
    .header('request-id', requestId)
    .header('content-type', 'application/json')
    .send(JSON.stringify(renderer.body(error, requestId)));
}

async function writeStream(
  reply: FastifyReply,
  exchange: Exchange,
  frames: AsyncIterable<string | Uint8Array>,
  options: WriteOptions,
): Promise<WriteEnd> {
  const stream = new SseStream(reply, exchange, options.requestId);
  const iterator = frames[Symbol.asyncIterator]();
  let finished = false;
  try {
    if (exchange.commitEarly) stream.ping();
    for (;;) {
      if (stream.closed) return { status: 200, outcome: 'client_aborted' };
      const next = await iterator.next();
      if (next.done) break;
      // A promise only when the client is slower than the upstream: one fewer hop per token.
      const backpressure = stream.write(next.value);
      if (backpressure !== undefined) await backpressure;
    }
    finished = true;
    return { status: 200, outcome: stream.closed && options.signal.aborted ? 'client_aborted' : 'completed' };
  } catch (caught) {
    finished = true;
    if (options.signal.aborted || stream.closed) return { status: 200, outcome: 'client_aborted' };
    const error = asGatewayError(caught);
    stream.fail(error);
    return { status: 200, outcome: 'upstream_error', error };
  } finally {
    stream.end();
    // Lets the source release the upstream body when the writer stopped before its end.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/**
 * A committed event stream: one PassThrough that whole frames are written to, so
 * nothing ever interleaves, and one timer that writes a `ping` when the stream has been silent
 * for the ping interval. One timer per stream, not one per frame: the hot path (a frame per
 * token) costs a write and a timestamp.
 */
class SseStream {
  private readonly body = new PassThrough();
  private readonly timer: NodeJS.Timeout;
  private readonly pingIntervalMs: number;
  private readonly errors: ErrorRenderer;
  private lastWrite = performance.now();
  private ended = false;

  constructor(
    private readonly reply: FastifyReply,
    exchange: Exchange,
    private readonly requestId: string,
  ) {
    this.pingIntervalMs = exchange.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    this.errors = exchange.errors ?? ANTHROPIC_ERRORS;
    const contentType = exchange.body.kind === 'frames' ? exchange.body.contentType : undefined;
    reply
      .headers(safeHeaders(exchange.headers))
      .status(200)
      .header('content-type', contentType ?? 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .header('request-id', requestId);
    void reply.send(this.body);
    // Checked twice per interval, so a ping goes out between 1 and 1.5 intervals of silence.
    this.timer = setInterval(() => this.pingIfIdle(), Math.max(10, Math.floor(this.pingIntervalMs / 2)));
    this.timer.unref();
    reply.raw.once('close', () => this.end());
  }

  get closed(): boolean {
    return this.ended || this.reply.raw.destroyed;
  }

  /**
   * Writes frames; when the client is slower than the upstream, returns what to wait for before
   * the next write (drained, or the client gone).
   */
  write(frames: string | Uint8Array): Promise<unknown> | undefined {
    if (this.closed) return undefined;
    this.lastWrite = performance.now();
    if (this.body.write(frames)) return undefined;
    return Promise.race([once(this.body, 'drain'), once(this.reply.raw, 'close')]);
  }

  /** One `ping` now: between two frames, since frames are only ever written whole. */
  ping(): void {
    if (this.closed) return;
    this.lastWrite = performance.now();
    this.body.write(this.errors.ping);
  }

  /** The stream's one error (Anthropic's `event: error`, or the client API's equivalent), then the end. */
  fail(error: GatewayError): void {
    if (this.closed) return;
    this.body.write(this.errors.streamFrames(error, this.requestId));
    this.end();
  }

  end(): void {
    clearInterval(this.timer);
    if (this.ended) return;
    this.ended = true;
    this.body.end();
  }

  private pingIfIdle(): void {
    if (!this.closed && performance.now() - this.lastWrite >= this.pingIntervalMs) this.ping();
  }
}

/**
 * Header values come from config and client text (route names, rewrites naming client betas):
 * each is made a valid field value here, in the one writer, so no name can turn an answer into
 * a 500 (issue 15 case 5).
 */
function safeHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) safe[name] = safeHeaderValue(value);
  return safe;
}

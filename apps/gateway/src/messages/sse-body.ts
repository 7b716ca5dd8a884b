import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { toAnthropicErrorBody, type GatewayError } from '@turnout/errors';
import { formatSseJson } from '@turnout/sse';

const PING_FRAME = formatSseJson({ type: 'ping' });

/**
 * The body of a committed Anthropic event stream: one PassThrough that frames are written to
 * (whole frames, so nothing ever interleaves), and one timer that writes a `ping` whenever the
 * stream has been silent for the ping interval. One timer per stream, not one per event: the
 * hot path (a frame per token) costs a write and a timestamp.
 */
export class SseBody {
  private readonly body = new PassThrough();
  private readonly timer: NodeJS.Timeout;
  private lastWrite = performance.now();
  private started = false;
  private ended = false;

  constructor(
    private readonly reply: FastifyReply,
    private readonly pingIntervalMs: number,
    private readonly requestId: string,
  ) {
    reply
      .status(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .header('request-id', requestId);
    void reply.send(this.body);
    // Checked twice per interval, so a ping goes out between 1 and 1.5 intervals of silence.
    this.timer = setInterval(() => this.pingIfIdle(), Math.max(10, Math.floor(pingIntervalMs / 2)));
    this.timer.unref();
    reply.raw.once('close', () => this.end());
  }

  /** Whether a real frame (not a ping) has been written: from then on no other target may answer. */
  get contentStarted(): boolean {
    return this.started;
  }

  get closed(): boolean {
    return this.ended || this.reply.raw.destroyed;
  }

  /** Writes frames, waiting while the client is slower than the upstream (or until it leaves). */
  async write(frames: string | Uint8Array): Promise<void> {
    if (this.closed) return;
    this.started = true;
    this.lastWrite = performance.now();
    if (!this.body.write(frames)) await Promise.race([once(this.body, 'drain'), once(this.reply.raw, 'close')]);
  }

  /** Relays a stream of frames to the end (or until the client leaves). */
  async relay(frames: AsyncIterable<string | Uint8Array>): Promise<void> {
    try {
      for await (const frame of frames) {
        if (this.closed) break;
        await this.write(frame);
      }
    } finally {
      this.end();
    }
  }

  /** One `ping` now: flushes the headers of a stream committed before the upstream answered. */
  ping(): void {
    if (this.closed) return;
    this.lastWrite = performance.now();
    this.body.write(PING_FRAME);
  }

  /** The stream's one `event: error`, then the end. */
  fail(error: GatewayError): void {
    if (this.closed) return;
    this.body.write(formatSseJson(toAnthropicErrorBody(error, this.requestId)));
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

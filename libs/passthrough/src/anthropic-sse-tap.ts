import type { UsageReport } from '@turnout/translate';
import { isRecord } from '@turnout/protocol';
import { readUpstreamErrorEvent, type UpstreamErrorEvent } from './upstream-error-event';
import { SseFrameReader, type SseFrame } from '@turnout/sse';
import { effectiveStopReason } from './stop-reason';
import { isContentDeltaFrame } from './content-delta-frame';
import { mergeUsageCounts, readUsageCounts, toUsageReport, type UsageCounts } from './usage-counts';

/** An event bigger than this (in characters) is not read (its name still counts); Anthropic events are a few hundred bytes. */
export const MAX_TAPPED_EVENT_BYTES = 1024 * 1024;

/** Only these events' JSON is read. `content_block_delta` is most of every stream: its name is enough. */
const READ_DATA = new Set(['message_start', 'message_delta', 'error']);

export interface AnthropicSseTapOptions {
  /** Clock for `firstContentAt`; `performance.now` unless a test pins it. */
  readonly now?: () => number;
}

/**
 * Reads an Anthropic SSE stream on the side of a frame relay, "just enough" for logs and
 * metrics: usage, stop reason, whether `message_stop` came, an upstream `event: error`, and
 * when the first content arrived. It never throws: a tap that fails stops tapping and the
 * frames still flow. One instance per stream (docs/style.md rule 8). The relay hands it the frames it
 * cut (`observe`); `push` cuts bytes itself, for readers that have no frames.
 */
export class AnthropicSseTap {
  private readonly now: () => number;
  private reader: SseFrameReader | undefined;
  private counts: UsageCounts | undefined;
  private stop: string | null = null;
  private messageStopSeen = false;
  private error: UpstreamErrorEvent | undefined;
  private firstContent: number | undefined;
  private closed = false;

  constructor(options: AnthropicSseTapOptions = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  push(chunk: Uint8Array): void {
    if (this.closed) return;
    this.reader ??= new SseFrameReader();
    try {
      for (const frame of this.reader.push(chunk)) this.observe(frame);
    } catch {
      this.closed = true; // an oversized frame: what was read so far stands
    }
  }

  /** One complete frame of the stream. Only the data of message_start, message_delta and error is read. */
  observe(frame: SseFrame): void {
    if (this.closed) return;
    if (isContentDeltaFrame(frame.raw)) {
      this.observeContentDelta(); // most of every stream: its name is all the tap needs
      return;
    }
    if (!frame.hasData) return;
    try {
      const name = frame.eventName;
      const read = name !== undefined && READ_DATA.has(name) && frame.raw.length <= MAX_TAPPED_EVENT_BYTES;
      this.onEvent(name, read ? frame.data : undefined);
    } catch {
      this.closed = true; // a bug in the tap must not break the relay; what was read so far stands
    }
  }

  /** A frame `isContentDeltaFrame` recognized, for a caller that has already told it apart. */
  observeContentDelta(): void {
    if (!this.closed) this.firstContent ??= this.now();
  }

  /** The upstream body ended. An unterminated last event is dropped, as the SSE spec (and the SDK) do. */
  end(): void {
    // A CR that ended the last push is a line end now: it may complete the last frame.
    if (this.reader !== undefined && !this.closed) {
      for (const frame of this.reader.end().frames) this.observe(frame);
    }
    this.closed = true;
  }

  get usage(): UsageReport | undefined {
    return this.counts === undefined ? undefined : toUsageReport(this.counts);
  }

  get stopReason(): string | null {
    return this.stop;
  }

  get sawMessageStop(): boolean {
    return this.messageStopSeen;
  }

  get errorEvent(): UpstreamErrorEvent | undefined {
    return this.error;
  }

  /** `performance.now()` at the first `content_block_delta`: time to first token. */
  get firstContentAt(): number | undefined {
    return this.firstContent;
  }

  private onEvent(name: string | undefined, data: string | undefined): void {
    switch (name) {
      case 'content_block_delta':
        this.firstContent ??= this.now();
        return;
      case 'message_stop':
        this.messageStopSeen = true;
        return;
      case 'message_start':
        this.onMessageStart(parseRecord(data));
        return;
      case 'message_delta':
        this.onMessageDelta(parseRecord(data));
        return;
      case 'error':
        // Recorded even when unreadable: the upstream did end the stream with an error.
        this.error ??= readUpstreamErrorEvent(data);
        return;
      default:
        return;
    }
  }

  private onMessageStart(event: Record<string, unknown> | undefined): void {
    const message = event?.message;
    if (!isRecord(message)) return;
    const counts = readUsageCounts(message.usage);
    if (counts !== undefined) this.counts = counts;
  }

  private onMessageDelta(event: Record<string, unknown> | undefined): void {
    if (event === undefined) return;
    const counts = readUsageCounts(event.usage);
    if (counts !== undefined) this.counts = mergeUsageCounts(this.counts, counts);
    if (isRecord(event.delta)) {
      const reason = effectiveStopReason(event.delta.stop_reason, event.delta.stop_sequence);
      if (reason !== null) this.stop = reason;
    }
  }
}

/** Malformed events are ignored, not fatal: the tap reads what it can. */
function parseRecord(data: string | undefined): Record<string, unknown> | undefined {
  if (data === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(data);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

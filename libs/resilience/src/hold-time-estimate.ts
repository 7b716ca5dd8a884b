/**
 * Cap of the hint. The Anthropic SDK sleeps for whatever `retry-after` says, and a queue estimate
 * minutes ahead is guesswork: better a client that comes back early and is refused again.
 */
export const MAX_RETRY_AFTER_HINT_SECONDS = 60;

/** Weight of the newest sample: a few requests are enough to follow a model swap. */
const ALPHA = 0.2;

/**
 * A moving average of how long a slot is held, to tell a refused client when to come back:
 * the `retry-after` of GW_QUEUE_FULL / GW_QUEUE_TIMEOUT. A hint, not a promise.
 */
export class HoldTimeEstimate {
  private averageMs: number | undefined;

  constructor(private readonly fallbackMs: number) {}

  record(heldMs: number): void {
    if (!Number.isFinite(heldMs) || heldMs < 0) return;
    this.averageMs = this.averageMs === undefined ? heldMs : this.averageMs + ALPHA * (heldMs - this.averageMs);
  }

  /**
   * Seconds until a newcomer behind `waiting` others would get one of `slots` slots: each slot
   * frees about once per average hold. Before any sample, the fallback (the wait limit). At
   * least 1 (0 would invite an instant retry into the same full queue), at most the SDK's cap.
   */
  retryAfterSeconds(waiting: number, slots: number): number {
    const expectedMs = this.averageMs === undefined ? this.fallbackMs : ((waiting + 1) / slots) * this.averageMs;
    return Math.min(MAX_RETRY_AFTER_HINT_SECONDS, Math.max(1, Math.ceil(expectedMs / 1000)));
  }
}

import { withDefaults } from './with-defaults';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** `yes`: send; `probe`: send, and this request's outcome decides the circuit; `no`: skip this upstream. */
export type CircuitAdmission = 'yes' | 'probe' | 'no';

export type CircuitListener = (state: CircuitState, previous: CircuitState) => void;

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long an opened circuit refuses everything before it lets one probe through. */
  readonly cooldownMs: number;
  /**
   * Each failed probe doubles the cooldown up to this; a success resets it. Equal to
   * `cooldownMs` (the default) means a fixed cooldown.
   */
  readonly maxCooldownMs?: number;
  /**
   * Reports (successes and failures) that must have arrived within `windowMs` before the circuit
   * may open, so a quiet upstream's first two bad requests cannot take it out (Envoy outlier
   * detection's minimum request volume). 1 (the default) means the threshold alone decides.
   */
  readonly minRequests?: number;
  readonly windowMs?: number;
  /** Epoch ms (or any monotonic ms); injected so tests move time by hand. */
  readonly now?: () => number;
}

export const DEFAULT_CIRCUIT_BREAKER_OPTIONS = Object.freeze({ failureThreshold: 5, cooldownMs: 30_000, minRequests: 1, windowMs: 60_000 } satisfies CircuitBreakerOptions);

/** The window is counted in this many slices, so memory stays constant at any request rate. */
const WINDOW_SLICES = 10;

/**
 * One upstream's circuit: `failureThreshold` consecutive failures open it for a cooldown (once
 * `minRequests` reports arrived within `windowMs`); then
 * it is half-open and exactly one caller gets `allow() === 'probe'`, everyone else `no` until
 * that probe reports. A success closes the circuit, a failure opens it again.
 *
 * What counts is the caller's decision, and it should report only the upstream's fault
 * (unreachable, timeouts, 5xx, 429/529, a broken reply): never a client's bad request, a client
 * that left, or Turnout's own refusals (queue full, circuit open), or one bad client would take
 * a healthy upstream out of service for everybody.
 *
 * Reports are evidence about the upstream whoever sends them: in half-open, a request admitted
 * before the circuit opened that finishes now decides just as the probe would. While open,
 * reports are ignored: the cooldown is the minimum quarantine, and a late failure must not
 * stretch it. Time is read, not scheduled: the open → half-open move happens on the first
 * `allow()`, `state` or `openUntil` read after the cooldown, and listeners hear it then.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private probeOut = false;
  private until: number | undefined;
  private cooldownMs: number;
  private readonly listeners = new Set<CircuitListener>();
  private readonly options: Required<CircuitBreakerOptions>;
  /** Reports per window slice, and the slice number each count belongs to. */
  private readonly sliceCounts = new Array<number>(WINDOW_SLICES).fill(0);
  private readonly sliceIds = new Array<number>(WINDOW_SLICES).fill(-1);

  constructor(options: Partial<CircuitBreakerOptions> = {}) {
    const merged = withDefaults({ now: Date.now, ...DEFAULT_CIRCUIT_BREAKER_OPTIONS }, options);
    const maxCooldownMs = options.maxCooldownMs ?? merged.cooldownMs;
    if (!Number.isInteger(merged.failureThreshold) || merged.failureThreshold < 1) {
      throw new RangeError(`failureThreshold must be an integer >= 1, got ${merged.failureThreshold}`);
    }
    if (!Number.isFinite(merged.cooldownMs) || merged.cooldownMs < 0) throw new RangeError(`cooldownMs must be >= 0, got ${merged.cooldownMs}`);
    if (!(maxCooldownMs >= merged.cooldownMs)) throw new RangeError(`maxCooldownMs must be >= cooldownMs, got ${maxCooldownMs}`);
    if (!Number.isInteger(merged.minRequests) || merged.minRequests < 1) throw new RangeError(`minRequests must be an integer >= 1, got ${merged.minRequests}`);
    if (!(merged.windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${merged.windowMs}`);
    this.options = Object.freeze({ ...merged, maxCooldownMs });
    this.cooldownMs = merged.cooldownMs;
  }

  get state(): CircuitState {
    this.advance();
    return this.current;
  }

  /** When an open circuit will let a probe through; undefined unless open. For `retry-after`. */
  get openUntil(): number | undefined {
    this.advance();
    return this.current === 'open' ? this.until : undefined;
  }

  /** Failures since the last success (reset when the circuit closes). */
  get failures(): number {
    return this.consecutiveFailures;
  }

  allow(): CircuitAdmission {
    this.advance();
    if (this.current === 'closed') return 'yes';
    if (this.current === 'open' || this.probeOut) return 'no';
    this.probeOut = true;
    return 'probe';
  }

  /** Reports counted within the last `windowMs`. */
  get recentRequests(): number {
    const now = this.sliceOf(this.options.now());
    let total = 0;
    for (let i = 0; i < WINDOW_SLICES; i++) if (now - (this.sliceIds[i] as number) < WINDOW_SLICES) total += this.sliceCounts[i] as number;
    return total;
  }

  onSuccess(): void {
    this.advance();
    if (this.current === 'open') return;
    this.countReport();
    this.consecutiveFailures = 0;
    this.probeOut = false;
    this.cooldownMs = this.options.cooldownMs;
    this.transition('closed');
  }

  onFailure(): void {
    this.advance();
    if (this.current === 'open') return;
    this.countReport();
    this.consecutiveFailures += 1;
    if (this.current === 'half-open') {
      // The probe failed: back off longer before the next one.
      this.cooldownMs = Math.min(this.options.maxCooldownMs, this.cooldownMs * 2);
      this.open();
    } else if (this.consecutiveFailures >= this.options.failureThreshold && this.recentRequests >= this.options.minRequests) {
      this.open();
    }
  }

  /**
   * The probe ended without saying anything about the upstream (its client left first, or it
   * was refused by Turnout's own queue): free the probe slot so the next caller probes. Without
   * this, a lost probe would keep the circuit half-open and refusing forever. No-op otherwise.
   */
  releaseProbe(): void {
    this.advance();
    if (this.current === 'half-open') this.probeOut = false;
  }

  /** Called after every change, with the new and the previous state; returns an unsubscribe. Listeners must not throw. */
  onStateChange(listener: CircuitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private sliceOf(time: number): number {
    return Math.floor(time / (this.options.windowMs / WINDOW_SLICES));
  }

  private countReport(): void {
    const slice = this.sliceOf(this.options.now());
    const index = slice % WINDOW_SLICES;
    if (this.sliceIds[index] !== slice) {
      this.sliceIds[index] = slice;
      this.sliceCounts[index] = 0;
    }
    this.sliceCounts[index] = (this.sliceCounts[index] as number) + 1;
  }

  private open(): void {
    this.probeOut = false;
    this.until = this.options.now() + this.cooldownMs;
    this.transition('open');
  }

  private advance(): void {
    if (this.current === 'open' && this.options.now() >= (this.until ?? 0)) {
      this.until = undefined;
      this.transition('half-open');
    }
  }

  private transition(next: CircuitState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next, previous);
  }
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  readonly now?: () => number;
}

/**
 * One provider's circuit: `failureThreshold` consecutive failures open it for `cooldownMs`;
 * then exactly one request is let through as a probe (half-open), and its result closes the
 * circuit or opens it again. Only upstream-side failures are reported here (the caller decides).
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private probing = false;
  private until: number | undefined;
  private readonly listeners: Array<(state: CircuitState) => void> = [];
  private readonly now: () => number;

  constructor(private readonly options: CircuitOptions) {
    this.now = options.now ?? Date.now;
  }

  /** `yes`: go; `probe`: go, and your result decides the circuit; `no`: skip this provider. */
  allow(): 'yes' | 'probe' | 'no' {
    if (this.current === 'closed') return 'yes';
    if (this.current === 'open') {
      if (this.now() < (this.until ?? 0)) return 'no';
      this.set('half-open');
    }
    if (this.probing) return 'no';
    this.probing = true;
    return 'probe';
  }

  onSuccess(): void {
    this.failures = 0;
    this.probing = false;
    this.until = undefined;
    if (this.current !== 'closed') this.set('closed');
  }

  onFailure(): void {
    this.failures += 1;
    if (this.current === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.probing = false;
      this.until = this.now() + this.options.cooldownMs;
      if (this.current !== 'open') this.set('open');
    }
  }

  /** The state as routing should see it: an open circuit whose cooldown is over can take a probe. */
  get state(): CircuitState {
    if (this.current === 'open' && this.now() >= (this.until ?? 0)) return 'half-open';
    return this.current;
  }

  /** When an open circuit lets a probe through (epoch ms). */
  get openUntil(): number | undefined {
    return this.current === 'open' ? this.until : undefined;
  }

  onStateChange(listener: (state: CircuitState) => void): void {
    this.listeners.push(listener);
  }

  private set(state: CircuitState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}

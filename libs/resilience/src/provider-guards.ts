import type { ProviderConfig, RouteConfig } from '@turnout/config';
import { GatewayError } from '@turnout/errors';
import { CircuitBreaker, type CircuitState } from './circuit-breaker';
import { circuitVerdict } from './circuit-verdict';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { retryAfterMs } from './retry-after';
import { RetryPolicy } from './retry-policy';

/** What the guards report, per provider (the port the gateway's metrics implement). */
export interface ProviderGuardsMetrics {
  setCircuitState(provider: string, state: CircuitState): void;
  setProviderUp(provider: string, up: boolean): void;
  observeQueueWait(provider: string, seconds: number): void;
  setQueueDepth(provider: string, depth: number): void;
  countCircuitPanic(provider: string): void;
}

export interface ProviderGuardsOptions {
  /** Panic mode (Envoy's panic threshold): when every target of a route is open, try them anyway. */
  readonly circuitPanic: boolean;
}

/** How one admitted request ended, for the provider's circuit. */
export type PassReport = 'success' | 'failure' | 'neutral';

/**
 * A request admitted to a provider: report how each attempt went, release the slot when done
 * (idempotent). Only the last report counts, once, at release: the circuit hears one outcome
 * per request after its retries, so one request retried three times is one failure, not three.
 */
export interface ProviderPass {
  /** An attempt's outcome, or its failure (classified by circuitVerdict; a 429 sets a back-off). */
  report(outcome: PassReport | GatewayError): void;
  release(): void;
}

/** One provider's guards as the console shows them (`ProviderGuards.snapshot`). */
export interface ProviderGuardsSnapshot {
  readonly circuit: CircuitState;
  /** Epoch ms the open circuit lets a probe through; undefined unless open. */
  readonly openUntil: number | undefined;
  /** Requests admitted and not yet released (holding a slot or, without limits, just sent). */
  readonly inFlight: number;
  /** Requests waiting for a slot (0 without `limits.max_in_flight`). */
  readonly queued: number;
}

/** The longest back-off a 429's retry-after may impose on a provider. */
const MAX_BACK_OFF_MS = 60_000;

interface Guards {
  /** What the guards were built from: rebuilt when the provider's settings change. */
  readonly signature: string;
  readonly circuit: CircuitBreaker;
  readonly limiter: ConcurrencyLimiter | undefined;
  readonly retries: RetryPolicy;
}

/**
 * Per provider: its circuit breaker, its slots and wait queue, its retry policy (issue 6). One
 * set per provider id, rebuilt when its config changes. `turnout_provider_up` is 1 only when
 * the last probe reached the provider and its circuit is not open.
 */
export class ProviderGuards {
  private readonly byProvider = new Map<string, Guards>();
  private readonly reachable = new Map<string, boolean>();
  /** Epoch ms until which a provider asked (429 + retry-after) not to be sent requests. */
  private readonly backOffUntil = new Map<string, number>();
  private readonly panicMode: boolean;
  /** Admitted passes not yet released, per provider (a counter: nothing per request is kept). */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly metrics: ProviderGuardsMetrics,
    options: ProviderGuardsOptions,
  ) {
    this.panicMode = options.circuitPanic;
  }

  /**
   * `route`: the route the request came by. When every provider it could use is open or backed
   * off, panic mode (Envoy's panic threshold; TURNOUT_CIRCUIT_PANIC, on by default) sends the
   * request anyway rather than refusing all traffic, and counts it in turnout_circuit_panic_total.
   */
  async admit(provider: ProviderConfig, signal: AbortSignal, route?: RouteConfig): Promise<ProviderPass> {
    const guards = this.guardsFor(provider);
    let verdict = guards.circuit.allow();
    const backedOffMs = this.backOffLeft(provider.id);
    if (verdict !== 'no' && backedOffMs > 0 && !this.panics(route)) {
      if (verdict === 'probe') guards.circuit.releaseProbe();
      throw new GatewayError('GW_UPSTREAM_RATE_LIMITED', {
        message: `provider ${provider.id} answered 429 and asked for a pause; Turnout sends it nothing for ${Math.ceil(backedOffMs / 1000)} s more`,
        headers: { 'retry-after': String(Math.max(1, Math.ceil(backedOffMs / 1000))) },
      });
    }
    if (verdict === 'no' && this.panics(route)) {
      this.metrics.countCircuitPanic(provider.id);
      verdict = 'yes';
    }
    if (verdict === 'no') {
      const waitMs = Math.max(0, (guards.circuit.openUntil ?? Date.now()) - Date.now());
      throw new GatewayError('GW_CIRCUIT_OPEN', {
        message: `provider ${provider.id} failed ${provider.circuit.failureThreshold} times in a row; Turnout sends it nothing for ${Math.ceil(waitMs / 1000)} s more`,
        headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
      });
    }
    let releaseSlot = () => undefined as void;
    if (guards.limiter) {
      try {
        releaseSlot = await guards.limiter.acquire(signal);
      } catch (error) {
        // Refused by the queue or left while waiting: the upstream said nothing, so the probe's
        // turn goes to the next request instead of keeping the circuit half-open.
        if (verdict === 'probe') guards.circuit.releaseProbe();
        throw error;
      }
    }
    let last: PassReport = 'neutral';
    let released = false;
    this.inFlight.set(provider.id, (this.inFlight.get(provider.id) ?? 0) + 1);
    return {
      report: (outcome) => {
        if (!(outcome instanceof GatewayError)) {
          last = outcome;
          return;
        }
        const verdict = circuitVerdict(outcome);
        if (verdict === 'rate-limited') this.backOff(provider.id, outcome);
        last = verdict === 'failure' ? 'failure' : 'neutral';
      },
      release: () => {
        if (released) return;
        released = true;
        this.inFlight.set(provider.id, Math.max(0, (this.inFlight.get(provider.id) ?? 1) - 1));
        if (last === 'success') guards.circuit.onSuccess();
        else if (last === 'failure') guards.circuit.onFailure();
        // A probe that ended without a verdict (client left) must not keep the circuit half-open forever.
        else if (verdict === 'probe') guards.circuit.releaseProbe();
        releaseSlot();
      },
    };
  }

  /**
   * What the console shows: the circuit's state (and until when it stays open), the requests
   * holding an upstream now and those waiting for a slot. A provider never used reads closed and idle.
   */
  snapshot(providerId: string): ProviderGuardsSnapshot {
    const guards = this.byProvider.get(providerId);
    const openUntil = guards?.circuit.openUntil;
    return {
      circuit: guards?.circuit.state ?? 'closed',
      openUntil: guards?.circuit.state === 'open' && openUntil !== undefined ? openUntil : undefined,
      inFlight: this.inFlight.get(providerId) ?? 0,
      queued: guards?.limiter?.queued ?? 0,
    };
  }

  /** Whether routing may pick this provider now: its circuit is not open and it asked for no pause (a provider never used is available). */
  available(providerId: string): boolean {
    return this.byProvider.get(providerId)?.circuit.state !== 'open' && this.backOffLeft(providerId) === 0;
  }

  /** Panic: every provider the route could use is unavailable, so refusing would refuse everyone. */
  private panics(route: RouteConfig | undefined): boolean {
    if (!this.panicMode || route === undefined) return false;
    const providers = [...route.targets.map((target) => target.provider), ...route.fallbacks.map((fallback) => fallback.split('/')[0] as string)];
    return providers.every((id) => !this.available(id));
  }

  private backOff(providerId: string, error: GatewayError): void {
    const waitMs = retryAfterMs(error.headers, Date.now());
    if (waitMs === undefined || waitMs <= 0) return;
    this.backOffUntil.set(providerId, Date.now() + Math.min(waitMs, MAX_BACK_OFF_MS));
  }

  private backOffLeft(providerId: string): number {
    const until = this.backOffUntil.get(providerId);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left > 0) return left;
    this.backOffUntil.delete(providerId);
    return 0;
  }

  retryPolicy(provider: ProviderConfig): RetryPolicy {
    return this.guardsFor(provider).retries;
  }

  /** From the provider registry's probes. */
  setReachable(providerId: string, reachable: boolean): void {
    this.reachable.set(providerId, reachable);
    this.publishUp(providerId);
  }

  private publishUp(providerId: string): void {
    const state = this.byProvider.get(providerId)?.circuit.state ?? 'closed';
    this.metrics.setProviderUp(providerId, this.reachable.get(providerId) !== false && state !== 'open');
  }

  private guardsFor(provider: ProviderConfig): Guards {
    const signature = JSON.stringify([provider.limits, provider.circuit, provider.retries]);
    const existing = this.byProvider.get(provider.id);
    if (existing?.signature === signature) return existing;
    const { failureThreshold, cooldownMs, minRequests, windowMs } = provider.circuit;
    const circuit = new CircuitBreaker({ failureThreshold, cooldownMs, minRequests, windowMs });
    circuit.onStateChange((state) => {
      this.metrics.setCircuitState(provider.id, state);
      this.publishUp(provider.id);
    });
    const { maxInFlight, maxQueue, maxWaitMs } = provider.limits;
    const guards: Guards = {
      signature,
      circuit,
      limiter:
        maxInFlight === undefined
          ? undefined
          : new ConcurrencyLimiter({
              maxInFlight,
              maxQueue,
              maxWaitMs,
              label: `provider ${provider.id}`,
              onWait: (waitedMs, outcome) => {
                if (outcome !== 'full') this.metrics.observeQueueWait(provider.id, waitedMs / 1000);
              },
              onChange: ({ queued }) => this.metrics.setQueueDepth(provider.id, queued),
            }),
      retries: new RetryPolicy({ maxAttempts: provider.retries.maxAttempts, baseDelayMs: provider.retries.baseDelayMs, maxDelayMs: provider.retries.maxDelayMs, maxRetryAfterMs: 30_000 }),
    };
    this.byProvider.set(provider.id, guards);
    this.metrics.setCircuitState(provider.id, 'closed');
    return guards;
  }
}

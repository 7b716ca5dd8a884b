import type { ProviderConfig } from '@turnout/config';
import { GatewayError } from '@turnout/errors';
import { CircuitBreaker, type CircuitState } from './circuit-breaker';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { RetryPolicy } from './retry-policy';

/** What the guards report, per provider (the port the gateway's metrics implement). */
export interface ProviderGuardsMetrics {
  setCircuitState(provider: string, state: CircuitState): void;
  setProviderUp(provider: string, up: boolean): void;
  observeQueueWait(provider: string, seconds: number): void;
  setQueueDepth(provider: string, depth: number): void;
}

/** How one admitted request ended, for the provider's circuit. */
export type PassReport = 'success' | 'failure' | 'neutral';

/** A request admitted to a provider: report how it went, release the slot when done (both idempotent). */
export interface ProviderPass {
  report(outcome: PassReport): void;
  release(): void;
}

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

  constructor(private readonly metrics: ProviderGuardsMetrics) {}

  async admit(provider: ProviderConfig, signal: AbortSignal): Promise<ProviderPass> {
    const guards = this.guardsFor(provider);
    const verdict = guards.circuit.allow();
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
    let reported = false;
    let released = false;
    return {
      report: (outcome) => {
        if (outcome === 'neutral') return;
        reported = true;
        if (outcome === 'success') guards.circuit.onSuccess();
        else guards.circuit.onFailure();
      },
      release: () => {
        if (released) return;
        released = true;
        // A probe that ended without a verdict (client left) must not keep the circuit half-open forever.
        if (verdict === 'probe' && !reported) guards.circuit.releaseProbe();
        releaseSlot();
      },
    };
  }

  /** Whether routing may pick this provider now: its circuit is not open (a provider never used is available). */
  available(providerId: string): boolean {
    return this.byProvider.get(providerId)?.circuit.state !== 'open';
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
    const circuit = new CircuitBreaker({ failureThreshold: provider.circuit.failureThreshold, cooldownMs: provider.circuit.cooldownMs });
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

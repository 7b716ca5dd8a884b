import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { decideMessagesMode, probeProvider, PROVIDER_KINDS, UpstreamClient, type ProviderProbe } from '@turnout/providers';
import type { ModeDecision } from '@turnout/routing';
import type { ProviderConfig, TurnoutConfig } from '@turnout/config';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import { GatewayMetrics } from '@turnout/observability';
import { knownModelNames } from '@turnout/observability';
import { ProviderGuards } from '@turnout/resilience';
import { upstreamTarget } from './upstream-target';
import { redactUrlCredentials, secretValues } from '../env/provider-secrets';
import { maskSecrets, setMaskedSecrets } from '@turnout/errors';

/** How long start-up waits for all providers' probes together; a slow upstream must not block serving. */
const START_PROBE_BUDGET_MS = 3_000;
/** Re-probe period: an upstream started after the gateway gets its right mode within a minute. */
const REPROBE_INTERVAL_MS = 60_000;

export interface ProviderStatus {
  readonly id: string;
  readonly kind: string;
  readonly base_url: string;
  readonly messages: string;
  readonly mode: ModeDecision['mode'];
  readonly mode_reason: string;
  readonly reachable: boolean | null;
  readonly version: string | null;
  readonly serves_messages: boolean | null;
  readonly context_window: number | null;
  readonly models: readonly string[];
  readonly error: string | null;
  readonly checked_at: string | null;
}

/**
 * What Turnout knows about each upstream beyond its config: the last probe (reachable,
 * version, context window, models) and the passthrough-or-translate decision it implies for
 * `messages: auto`. Routing asks it for modes per request (a map lookup).
 */
@Injectable()
export class ProviderRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger('Providers');
  private readonly probes = new Map<string, ProviderProbe>();
  private readonly modes = new Map<string, ModeDecision>();
  private timer: NodeJS.Timeout | undefined;
  private config: TurnoutConfig | undefined;

  constructor(
    private readonly upstream: UpstreamClient,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly metrics: GatewayMetrics,
    private readonly guards: ProviderGuards,
  ) {}

  /** Probes every provider once (bounded), logs each decision, then re-probes in the background. */
  async start(config: TurnoutConfig): Promise<void> {
    this.config = config;
    // Each provider's probe at debug: the start banner lists them with their modes.
    this.publishSecrets(config);
    await this.probeAll(config, START_PROBE_BUDGET_MS, true, 'debug');
    this.timer = setInterval(() => void this.refresh(), REPROBE_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * A new config from the store: forget providers that left (their gauges too), and probe the
   * current ones in the background so a new provider gets its mode within seconds.
   */
  reconfigure(config: TurnoutConfig): void {
    const ids = new Set(config.providers.map((provider) => provider.id));
    for (const id of [...this.probes.keys()]) {
      if (ids.has(id)) continue;
      this.probes.delete(id);
      this.modes.delete(id);
      this.metrics.forgetProvider(id);
    }
    this.config = config;
    this.publishSecrets(config);
    this.publishKnownModels(config);
    void this.probeAll(config, START_PROBE_BUDGET_MS, true);
  }

  /** Error bodies mask these wherever an upstream echoes them (issue 15, case 10). */
  private publishSecrets(config: TurnoutConfig): void {
    setMaskedSecrets(secretValues(config, this.env.secrets, [this.env.adminToken, this.env.metricsToken]));
  }

  /** The metrics' `model` label takes only names the config or an upstream's model list knows. */
  private publishKnownModels(config: TurnoutConfig): void {
    this.metrics.setKnownModels(knownModelNames(config, [...this.probes.values()].map((probe) => probe.models)));
  }

  /** Used as the routing snapshot's ModeResolver. */
  readonly modeOf = (provider: ProviderConfig): ModeDecision =>
    this.modes.get(provider.id) ?? decideMessagesMode(provider.messages, PROVIDER_KINDS[provider.kind], undefined);

  probe(providerId: string): ProviderProbe | undefined {
    return this.probes.get(providerId);
  }

  /** The context window in tokens: the config's `context_window`, else what the last probe read. */
  contextWindowOf(providerId: string): number | undefined {
    const configured = this.config?.providers.find((provider) => provider.id === providerId)?.contextWindow;
    return configured ?? this.probes.get(providerId)?.contextWindow;
  }

  status(config: TurnoutConfig): ProviderStatus[] {
    return config.providers.map((provider) => {
      const probe = this.probes.get(provider.id);
      const decision = this.modeOf(provider);
      return {
        id: provider.id,
        kind: provider.kind,
        base_url: redactUrlCredentials(provider.baseUrl),
        messages: provider.messages,
        mode: decision.mode,
        mode_reason: decision.reason,
        reachable: probe?.reachable ?? null,
        version: probe?.version ?? null,
        serves_messages: probe?.servesMessages ?? null,
        context_window: probe?.contextWindow ?? null,
        models: probe?.models ?? [],
        error: probe?.error === undefined ? null : maskSecrets(probe.error),
        checked_at: probe?.checkedAt ?? null,
      };
    });
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    if (this.config) await this.probeAll(this.config, START_PROBE_BUDGET_MS, false);
  }

  private async probeAll(config: TurnoutConfig, budgetMs: number, logAll: boolean, level: 'log' | 'debug' = 'log'): Promise<void> {
    await Promise.all(
      config.providers.map(async (provider) => {
        // One deadline per provider (the probes run at once, so the budget is the same): a
        // signal shared by every provider's requests collects more abort listeners than Node's
        // limit of 10 and prints a MaxListenersExceededWarning with a handful of providers.
        const signal = AbortSignal.timeout(budgetMs);
        const kind = PROVIDER_KINDS[provider.kind];
        const probe = await probeProvider(this.upstream, upstreamTarget(provider, kind, this.env.secrets), kind, signal);
        const decision = decideMessagesMode(provider.messages, kind, probe);
        const previous = this.modes.get(provider.id);
        this.probes.set(provider.id, probe);
        this.modes.set(provider.id, decision);
        this.guards.setReachable(provider.id, probe.reachable);
        if (logAll || previous?.mode !== decision.mode) {
          const seen = probe.reachable ? `${probe.version ? `version ${probe.version}` : 'version unknown'}` : `unreachable (${probe.error ?? 'no answer'})`;
          this.logger[level](maskSecrets(`provider ${provider.id} (${provider.kind} at ${redactUrlCredentials(provider.baseUrl)}): ${decision.mode}; ${decision.reason}; ${seen}`));
        }
      }),
    );
    this.publishKnownModels(config);
  }
}

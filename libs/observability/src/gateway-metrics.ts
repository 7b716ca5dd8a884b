import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ExchangeRecord } from './exchange-record';
import { BoundedLabel, OTHER_LABEL } from './bounded-label';

/** Local generations are long: a 100k-token prefill plus a long answer runs for minutes. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];
const TTFT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const TPOT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28];
/** Our own cost is sub-millisecond when things are right; the buckets must resolve that. */
const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];

export const DEFAULT_MAX_MODEL_LABELS = 100;

export interface ConfigFacts {
  readonly revision: number | undefined;
  readonly applied: number;
  readonly rejected: number;
  /** Set when the config lives in Redis: whether Redis is reachable now. */
  readonly redisConnected?: boolean;
}

export const DEFAULT_MAX_LABEL_LENGTH = 128;

export interface GatewayMetricsOptions {
  readonly maxModelLabels?: number;
  /** Longest label value; longer config names are cut (they are still told apart up to there). */
  readonly maxLabelLength?: number;
  /** Names a request's model may be labelled with (see knownModelNames); more come with setKnownModels. */
  readonly knownModels?: Iterable<string>;
  /** The config store's revision and reload counts, read at scrape time. */
  readonly config?: () => ConfigFacts;
}

/** Refusals that must not create series: a client without a valid key chooses nothing we keep. */
const AUTH_REFUSALS: readonly number[] = [401, 403];

/** monitorEventLoopDelay's sampling period; a stall shorter than this may be missed. */
const EVENT_LOOP_RESOLUTION_MS = 10;

/** Label value when a request was refused before a provider was chosen. */
const NONE = '_none';

/**
 * Turnout's Prometheus families, on a registry of our own (never prom-client's global one, so
 * two gateways in one test process cannot collide). Every request is recorded here once, from
 * the pipeline's ExchangeRecord; translators and forwarders return data and never touch this.
 * Every label value comes from a closed set or the config: `model` is the requested name only
 * when the config or an upstream's model list knows it, else the matched route's rule, else
 * `other`; it is cut to `maxLabelLength` and capped in count (BoundedLabel). A request refused
 * by authentication (401, 403) creates no series: it is only counted by status.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly models: BoundedLabel;
  private readonly maxLabelLength: number;
  private known: ReadonlySet<string> = new Set();

  private readonly requests = new Counter({
    name: 'turnout_requests_total',
    help: 'Model requests by requested model, provider, mode, streaming, outcome and inbound API (messages, chat_completions, responses).',
    labelNames: ['model', 'provider', 'mode', 'stream', 'outcome', 'api'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'turnout_request_duration_seconds',
    help: 'Whole request duration, until the last byte was handed to the client.',
    labelNames: ['model', 'provider', 'mode', 'stream'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly ttft = new Histogram({
    name: 'turnout_time_to_first_token_seconds',
    help: 'Streams: request start to the first content-bearing event (message_start and ping do not count).',
    labelNames: ['model', 'provider', 'mode'] as const,
    buckets: TTFT_BUCKETS,
    registers: [this.registry],
  });
  private readonly tpot = new Histogram({
    name: 'turnout_time_per_output_token_seconds',
    help: 'Streams: mean time between output tokens after the first.',
    labelNames: ['model', 'provider'] as const,
    buckets: TPOT_BUCKETS,
    registers: [this.registry],
  });
  private readonly overhead = new Histogram({
    name: 'turnout_gateway_overhead_seconds',
    help: 'Time spent in Turnout itself: request duration minus the time the upstream held the request, queue waits and retry back-offs.',
    labelNames: ['mode'] as const,
    buckets: OVERHEAD_BUCKETS,
    registers: [this.registry],
  });
  private readonly tokens = new Counter({
    name: 'turnout_tokens_total',
    help: 'Tokens the upstream reported (estimates are never counted), by type: input, output, cache_read, cache_creation.',
    labelNames: ['model', 'provider', 'type', 'api'] as const,
    registers: [this.registry],
  });
  private readonly upstreamErrors = new Counter({
    name: 'turnout_upstream_errors_total',
    help: 'Upstream failures by provider and Turnout error code (GW_UPSTREAM_*).',
    labelNames: ['provider', 'code'] as const,
    registers: [this.registry],
  });
  private readonly inflight = new Gauge({
    name: 'turnout_inflight_requests',
    help: 'Messages requests in flight per provider.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private readonly streamAborts = new Counter({
    name: 'turnout_stream_aborts_total',
    help: 'Streams cut short, by the side that went away: client or upstream.',
    labelNames: ['provider', 'side'] as const,
    registers: [this.registry],
  });
  private readonly providerUp = new Gauge({
    name: 'turnout_provider_up',
    help: '1 when the last probe reached the provider, 0 when it did not.',
    labelNames: ['provider'] as const,
    // Under --workers: up only if every worker reaches it.
    aggregator: 'min',
    registers: [this.registry],
  });
  private readonly rewrites = new Counter({
    name: 'turnout_rewrites_total',
    help: 'Request rewrites applied (request hygiene, dropped betas), by provider and rule.',
    labelNames: ['provider', 'rewrite'] as const,
    registers: [this.registry],
  });

  private readonly queueDepth = new Gauge({
    name: 'turnout_queue_depth',
    help: 'Requests waiting for a free slot of the provider (limits.max_in_flight).',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private readonly queueWait = new Histogram({
    name: 'turnout_queue_wait_seconds',
    help: 'Time a request waited for a free slot of the provider (0 when one was free).',
    labelNames: ['provider'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  private readonly retryBackoff = new Histogram({
    name: 'turnout_retry_backoff_seconds',
    help: 'Time slept between two attempts of a request at the same provider (full-jitter backoff or the upstream retry-after).',
    labelNames: ['provider'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'turnout_retries_total',
    help: 'Upstream attempts retried before anything reached the client, by the failure that caused them.',
    labelNames: ['provider', 'code'] as const,
    registers: [this.registry],
  });
  private readonly fallbacks = new Counter({
    name: 'turnout_fallbacks_total',
    help: 'Requests handed to the next target of their route after a failure before the first byte.',
    labelNames: ['from', 'to'] as const,
    registers: [this.registry],
  });
  private readonly overloaded = new Counter({
    name: 'turnout_overloaded_total',
    help: 'Requests answered 529 overloaded_error, by provider and Turnout error code (upstream overloaded, circuit open, queue full or timed out, shutting down).',
    labelNames: ['provider', 'code'] as const,
    registers: [this.registry],
  });
  private readonly keyRequests = new Counter({
    name: 'turnout_key_requests_total',
    help: 'Messages requests per gateway key (ids from the config or the key store: finite, TURNOUT_MAX_KEYS) and outcome.',
    labelNames: ['key', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly keyCost = new Counter({
    name: 'turnout_cost_usd_total',
    help: 'US dollars spent per gateway key, by the config price table for the requested model (absent without prices).',
    labelNames: ['key'] as const,
    registers: [this.registry],
  });

  private readonly keyTokens = new Counter({
    name: 'turnout_key_tokens_total',
    help: 'Tokens the upstream reported per gateway key, by type: input, output.',
    labelNames: ['key', 'type'] as const,
    registers: [this.registry],
  });
  private readonly authRefusals = new Counter({
    name: 'turnout_auth_refusals_total',
    help: 'Requests refused by authentication (401) or key permissions (403); never labelled by anything the client sent.',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  private readonly rateLimitStoreErrors = new Counter({
    name: 'turnout_rate_limit_store_errors_total',
    help: 'Rate-limit admissions Redis could not decide in time, by the on_store_error policy applied (open: admitted, closed: refused).',
    labelNames: ['policy'] as const,
    registers: [this.registry],
  });
  private readonly circuitPanic = new Counter({
    name: 'turnout_circuit_panic_total',
    help: 'Requests sent to a provider whose circuit was open because every target of their route was open (panic mode).',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private readonly circuitState = new Gauge({
    name: 'turnout_circuit_state',
    help: 'Circuit breaker per provider: 0 closed, 1 half-open (one probe request), 2 open (skipped).',
    labelNames: ['provider'] as const,
    // Under --workers: the most open of the workers' breakers.
    aggregator: 'max',
    registers: [this.registry],
  });

  /**
   * Event-loop delay since the last scrape (perf_hooks' histogram, reset at each scrape): a stall
   * such as a quadratic match on a hostile input shows here as a `max` of seconds.
   */
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });

  constructor(options: GatewayMetricsOptions = {}) {
    this.loopDelay.enable();
    const loopDelay = this.loopDelay;
    new Gauge({
      name: 'turnout_event_loop_delay_seconds',
      help: 'Event-loop delay since the previous scrape (perf_hooks.monitorEventLoopDelay), by statistic: mean, p50, p99, max.',
      labelNames: ['stat'] as const,
      registers: [this.registry],
      collect() {
        // An empty histogram (no sample yet) reports NaN/huge sentinels: publish zeros instead.
        const sampled = loopDelay.count > 0;
        const seconds = (nanoseconds: number) => (sampled ? nanoseconds / 1e9 : 0);
        this.set({ stat: 'mean' }, seconds(loopDelay.mean));
        this.set({ stat: 'p50' }, seconds(loopDelay.percentile(50)));
        this.set({ stat: 'p99' }, seconds(loopDelay.percentile(99)));
        this.set({ stat: 'max' }, seconds(loopDelay.max));
        loopDelay.reset();
      },
    });
    this.models = new BoundedLabel(options.maxModelLabels ?? DEFAULT_MAX_MODEL_LABELS);
    this.maxLabelLength = options.maxLabelLength ?? DEFAULT_MAX_LABEL_LENGTH;
    if (options.knownModels) this.setKnownModels(options.knownModels);
    for (const status of AUTH_REFUSALS) this.authRefusals.inc({ status: String(status) }, 0);
    collectDefaultMetrics({ register: this.registry });
    const config = options.config;
    if (config) {
      // Read from the store at scrape time: the store counts, the metrics only report.
      new Gauge({
        name: 'turnout_config_revision',
        help: 'Revision of the routing config in force (0: the file, while Redis is unreachable).',
        // Under --workers: the revision every worker has reached.
        aggregator: 'min',
        registers: [this.registry],
        collect() {
          const revision = config().revision;
          if (revision !== undefined) this.set(revision);
        },
      });
      new Gauge({
        name: 'turnout_redis_up',
        help: '1 while the config store is connected to Redis, 0 while it is not (absent without REDIS_URL).',
        // A label, so that without Redis there is no series at all (a bare gauge always prints 0).
        labelNames: ['client'] as const,
        aggregator: 'min',
        registers: [this.registry],
        collect() {
          const connected = config().redisConnected;
          if (connected !== undefined) this.set({ client: 'config-store' }, connected ? 1 : 0);
        },
      });
      new Counter({
        name: 'turnout_config_reloads_total',
        help: 'Config documents applied after start, and refused because they did not validate (the last good one stayed).',
        labelNames: ['result'] as const,
        registers: [this.registry],
        collect() {
          const stats = config();
          this.reset();
          this.inc({ result: 'applied' }, stats.applied);
          this.inc({ result: 'rejected' }, stats.rejected);
        },
      });
    }
  }

  /** Replaces the known names (config reloads, upstream model lists); known names get their label first. */
  setKnownModels(names: Iterable<string>): void {
    const known = new Set<string>();
    for (const name of names) known.add(this.cut(name));
    this.known = known;
    this.models.admit(known);
  }

  /**
   * The `model` label for a requested name: itself when known, else the rule of the route that
   * matched it (config text), else `other`; `other` too once the label count is at its cap.
   */
  modelLabel(model: string, route?: string | null): string {
    const cut = this.cut(model);
    if (this.known.has(cut)) return this.models.of(cut);
    return route ? this.models.of(this.cut(route)) : OTHER_LABEL;
  }

  private cut(value: string): string {
    return value.length <= this.maxLabelLength ? value : value.slice(0, this.maxLabelLength);
  }

  requestStarted(provider: string): void {
    this.inflight.inc({ provider });
  }

  requestEnded(provider: string): void {
    this.inflight.dec({ provider });
  }

  setProviderUp(provider: string, up: boolean): void {
    this.providerUp.set({ provider }, up ? 1 : 0);
  }

  /** Drops a provider's gauges when it leaves the config (a live config change). */
  forgetProvider(provider: string): void {
    this.providerUp.remove({ provider });
    this.inflight.remove({ provider });
    this.queueDepth.remove({ provider });
    this.circuitState.remove({ provider });
  }

  setQueueDepth(provider: string, depth: number): void {
    this.queueDepth.set({ provider }, depth);
  }

  observeQueueWait(provider: string, seconds: number): void {
    this.queueWait.observe({ provider }, seconds);
  }

  observeRetryBackoff(provider: string, seconds: number): void {
    this.retryBackoff.observe({ provider }, seconds);
  }

  countRetry(provider: string, code: string): void {
    this.retries.inc({ provider, code });
  }

  countFallback(from: string, to: string): void {
    this.fallbacks.inc({ from, to });
  }

  /** A key's request cost (keys come from the config or the key store: finite, TURNOUT_MAX_KEYS). */
  countKeyCost(keyId: string, usd: number): void {
    this.keyCost.inc({ key: keyId }, usd);
  }

  countRateLimitStoreError(policy: 'open' | 'closed'): void {
    this.rateLimitStoreErrors.inc({ policy });
  }

  countCircuitPanic(provider: string): void {
    this.circuitPanic.inc({ provider });
  }

  setCircuitState(provider: string, state: 'closed' | 'half-open' | 'open'): void {
    this.circuitState.set({ provider }, state === 'closed' ? 0 : state === 'half-open' ? 1 : 2);
  }

  record(exchange: ExchangeRecord): void {
    if (AUTH_REFUSALS.includes(exchange.status)) {
      this.authRefusals.inc({ status: String(exchange.status) });
      return;
    }
    const model = this.modelLabel(exchange.model, exchange.route);
    const provider = exchange.provider ?? NONE;
    const mode = exchange.mode ?? NONE;
    const stream = exchange.stream ? 'true' : 'false';
    const api = exchange.api;
    this.requests.inc({ model, provider, mode, stream, outcome: exchange.outcome, api });
    this.duration.observe({ model, provider, mode, stream }, exchange.durationS);
    if (exchange.ttftS !== undefined) this.ttft.observe({ model, provider, mode }, exchange.ttftS);
    if (exchange.timePerOutputTokenS !== undefined) this.tpot.observe({ model, provider }, exchange.timePerOutputTokenS);
    if (exchange.overheadS !== undefined && exchange.mode) this.overhead.observe({ mode: exchange.mode }, exchange.overheadS);
    const usage = exchange.usage;
    if (usage?.reported) {
      this.tokens.inc({ model, provider, type: 'input', api }, usage.inputTokens);
      this.tokens.inc({ model, provider, type: 'output', api }, usage.outputTokens);
      this.tokens.inc({ model, provider, type: 'cache_read', api }, usage.cacheReadInputTokens);
      this.tokens.inc({ model, provider, type: 'cache_creation', api }, usage.cacheCreationInputTokens);
    }
    if (exchange.status === 529) this.overloaded.inc({ provider, code: exchange.errorCode ?? NONE });
    if (exchange.keyId !== undefined) {
      // Key ids come from the config or the key store (finite: TURNOUT_MAX_KEYS); a request that matched no key never gets here with one.
      this.keyRequests.inc({ key: exchange.keyId, outcome: exchange.outcome });
      if (usage?.reported) {
        this.keyTokens.inc({ key: exchange.keyId, type: 'input' }, usage.inputTokens);
        this.keyTokens.inc({ key: exchange.keyId, type: 'output' }, usage.outputTokens);
      }
    }
    if (exchange.outcome === 'upstream_error' && exchange.errorCode) {
      this.upstreamErrors.inc({ provider, code: exchange.errorCode });
    }
    if (exchange.stream && exchange.status === 200 && exchange.outcome === 'client_aborted') this.streamAborts.inc({ provider, side: 'client' });
    if (exchange.stream && exchange.status === 200 && exchange.outcome === 'upstream_error') this.streamAborts.inc({ provider, side: 'upstream' });
    for (const rewrite of exchange.rewrites) this.rewrites.inc({ provider, rewrite: rewriteRule(rewrite) });
  }
}

/** `drop-betas(a b)` and `drop-fields(x,y)` carry client-chosen text; the label keeps the rule name only. */
function rewriteRule(rewrite: string): string {
  const paren = rewrite.indexOf('(');
  return paren === -1 ? rewrite : rewrite.slice(0, paren);
}

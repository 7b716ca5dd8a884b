import type { ExchangeRecord } from '@turnout/observability';

/** One finished request as the console's live traffic page shows it: facts only, never content. */
export interface RecentRequest {
  readonly at: string;
  readonly request_id: string;
  readonly key: string | null;
  readonly model: string;
  readonly route: string | null;
  readonly provider: string | null;
  readonly mode: string | null;
  readonly stream: boolean;
  readonly status: number;
  readonly outcome: string;
  readonly error_code: string | null;
  readonly ttft_ms: number | null;
  readonly duration_ms: number;
  readonly input_tokens: number | null;
  readonly output_tokens: number | null;
}

/** The last failure a provider gave a request, for the providers page. */
export interface ProviderFailure {
  readonly at: string;
  readonly status: number;
  readonly error_code: string | null;
}

export type RecentRequestsListener = (batch: readonly RecentRequest[]) => void;

/** Client-chosen text (the model name) is cut to this on the way in, like the request log's fields. */
const MAX_FIELD_LENGTH = 256;
/** Listeners hear new records in one batch per this many ms: a burst of requests is one SSE write per viewer. */
const FLUSH_MS = 100;
/** Providers whose last failure is remembered; config ids, so this only guards against endless renames. */
const MAX_PROVIDERS_REMEMBERED = 1024;

/**
 * A fixed-size ring of the last N finished requests (TURNOUT_CONSOLE_RECENT_REQUESTS), fed by
 * the request log after it writes a line. Adding is O(1) and allocates one small object; the
 * console's viewers are told in batches from a timer, never on the request's own path.
 */
export class RecentRequests {
  private readonly ring: (RecentRequest | undefined)[];
  private next = 0;
  private count = 0;
  private pending: RecentRequest[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<RecentRequestsListener>();
  private readonly failures = new Map<string, ProviderFailure>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number from 1, got ${capacity}`);
    this.ring = new Array<RecentRequest | undefined>(capacity);
  }

  add(record: ExchangeRecord, now = new Date()): void {
    const view = toRecentRequest(record, now);
    this.ring[this.next] = view;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
    if (view.provider !== null && record.outcome !== 'completed' && record.outcome !== 'client_aborted' && record.outcome !== 'client_error') {
      if (this.failures.size >= MAX_PROVIDERS_REMEMBERED && !this.failures.has(view.provider)) this.failures.clear();
      this.failures.set(view.provider, { at: view.at, status: view.status, error_code: view.error_code });
    }
    if (this.listeners.size === 0) return;
    // A slow viewer must not grow this: only the newest `capacity` records wait for the flush.
    this.pending.push(view);
    if (this.pending.length > this.capacity) this.pending.shift();
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  /** Oldest first. */
  list(): RecentRequest[] {
    const out: RecentRequest[] = [];
    for (let i = 0; i < this.count; i++) {
      const item = this.ring[(this.next - this.count + i + this.capacity) % this.capacity];
      if (item) out.push(item);
    }
    return out;
  }

  lastFailure(providerId: string): ProviderFailure | undefined {
    return this.failures.get(providerId);
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: RecentRequestsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private flush(): void {
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    for (const listener of this.listeners) listener(batch);
  }
}

function toRecentRequest(record: ExchangeRecord, now: Date): RecentRequest {
  return {
    at: now.toISOString(),
    request_id: record.requestId,
    key: record.keyId ?? null,
    model: record.model.length <= MAX_FIELD_LENGTH ? record.model : `${record.model.slice(0, MAX_FIELD_LENGTH)}…`,
    route: record.route,
    provider: record.provider,
    mode: record.mode,
    stream: record.stream,
    status: record.status,
    outcome: record.outcome,
    error_code: record.errorCode,
    ttft_ms: record.ttftS === undefined ? null : Math.round(record.ttftS * 1000),
    duration_ms: Math.round(record.durationS * 1000),
    input_tokens: record.usage?.inputTokens ?? null,
    output_tokens: record.usage?.outputTokens ?? null,
  };
}

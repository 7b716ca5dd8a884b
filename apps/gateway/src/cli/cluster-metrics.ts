import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * `/metrics` under `--workers N`: a scrape lands on one worker (cluster hands connections out),
 * so that worker asks the primary, which gathers every worker's registry with prom-client's
 * AggregatorRegistry (counters and histograms summed; gauges by each metric's `aggregator`)
 * and sends the text back. One scrape, the whole process group.
 */
const REQUEST = 'turnout:cluster-metrics-request';
const RESPONSE = 'turnout:cluster-metrics-response';
/** prom-client's own per-gather limit is 5 s; the worker waits a little longer for the answer. */
const ANSWER_TIMEOUT_MS = 6_000;

interface MetricsRequest {
  readonly type: typeof REQUEST;
  readonly id: string;
}
interface MetricsResponse {
  readonly type: typeof RESPONSE;
  readonly id: string;
  readonly text?: string;
  readonly error?: string;
}

/** Primary: answers workers' requests with the aggregate of all workers. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Partial<MetricsRequest>) => {
    if (message?.type !== REQUEST || typeof message.id !== 'string') return;
    const id = message.id;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: RESPONSE, id, text } satisfies MetricsResponse),
      (error: Error) => worker.isConnected() && worker.send({ type: RESPONSE, id, error: error.message } satisfies MetricsResponse),
    );
  });
}

/** Worker: reports `registry` when the primary gathers, and asks the primary for the aggregate. */
export class WorkerMetrics {
  private readonly pending = new Map<string, { resolve: (text: string) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  readonly contentType: string;

  constructor(registry: Registry) {
    const aggregator = new AggregatorRegistry(); // installs prom-client's worker-side listener
    this.contentType = aggregator.contentType;
    AggregatorRegistry.setRegistries([registry]);
    process.on('message', (message: Partial<MetricsResponse>) => {
      if (message?.type !== RESPONSE || typeof message.id !== 'string') return;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      clearTimeout(waiting.timer);
      if (message.text !== undefined) waiting.resolve(message.text);
      else waiting.reject(new Error(message.error ?? 'no metrics from the primary'));
    });
  }

  aggregate(): Promise<string> {
    const id = randomUUID();
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the primary did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`));
      }, ANSWER_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      process.send?.({ type: REQUEST, id } satisfies MetricsRequest);
    });
  }
}

import cluster, { type Worker } from 'node:cluster';
import { serveClusterMetrics } from './cluster-metrics';

/**
 * `turnout serve --workers N` (N > 1): this process becomes a small supervisor that forks N
 * workers with node:cluster. Each worker runs the ordinary serve path; cluster shares one
 * listening socket between them (the primary accepts and hands connections out round-robin),
 * so the primary never listens itself and `--port 0` still gives every worker the same port.
 * What the workers share beyond that goes through Redis (config, rate limits, affinity), as
 * between replicas; without Redis each worker holds its own limits and counters.
 */
export interface ClusterOptions {
  readonly workers: number;
  readonly host: string;
  readonly port: number;
  readonly shutdownGraceMs: number;
}

/** Where the primary's lines go (Nest's Logger in `main`, so they look like every other line). */
export interface ClusterLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const RESTART_BASE_MS = 100;
const RESTART_MAX_MS = 10_000;
/** Deaths older than this no longer lengthen the wait before the next restart. */
const CRASH_WINDOW_MS = 60_000;
/** Workers end their own stragglers 2 s after the grace period; past this they are killed. */
const KILL_AFTER_GRACE_MS = 5_000;

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/**
 * How long to wait before replacing a dead worker, given the deaths within the last minute
 * (this one included): 0.1 s, 0.2 s, 0.4 s … at most 10 s, so a worker that dies at every start
 * (a config file broken since) does not spin the CPU.
 */
export function restartDelayMs(recentDeaths: number): number {
  return Math.min(RESTART_BASE_MS * 2 ** Math.max(0, recentDeaths - 1), RESTART_MAX_MS);
}

/** Runs the primary until every worker is gone; resolves with the exit code. */
export function runClusterPrimary(options: ClusterOptions, logger: ClusterLog): Promise<number> {
  return new WorkerCluster(options, logger).run();
}

type Phase = 'starting' | 'serving' | 'stopping';

class WorkerCluster {
  private readonly live = new Set<Worker>();
  private readonly listening = new Set<Worker>();
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private deaths: number[] = [];
  private phase: Phase = 'starting';
  private port: number | undefined;
  private exitCode = 0;
  private finish: (code: number) => void = () => undefined;

  constructor(
    private readonly options: ClusterOptions,
    private readonly logger: ClusterLog,
  ) {}

  run(): Promise<number> {
    const done = new Promise<number>((resolve) => (this.finish = resolve));
    cluster.on('listening', (worker, address) => this.onListening(worker, address.port));
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    process.on('SIGTERM', () => this.stop('SIGTERM'));
    process.on('SIGINT', () => this.stop('SIGINT'));
    serveClusterMetrics();
    // The first worker alone: a bad config file is reported once, and a Redis store is seeded
    // by one process; the others start once it serves.
    this.fork();
    return done;
  }

  private fork(): void {
    // Every worker listens with the same arguments: cluster shares one socket per (host, port)
    // as asked, so with `--port 0` they all get the port the first one got (asking for that
    // port by number would be another socket, and EADDRINUSE).
    this.live.add(cluster.fork());
  }

  private onListening(worker: Worker, port: number): void {
    // Fastify binds 'localhost' once per address family: count workers, not sockets.
    if (this.listening.has(worker) || !this.live.has(worker)) return;
    this.listening.add(worker);
    if (this.port !== undefined && port !== this.port) {
      // Only with --port 0, after every worker died at once: the shared socket was closed.
      this.logger.warn(`worker ${worker.process.pid} got port ${port} (was ${this.port}): every worker had died, and --port 0 picked again`);
    }
    this.port = port;
    if (this.phase === 'starting') {
      if (this.live.size === 1 && this.listening.size === 1) {
        for (let i = 1; i < this.options.workers; i++) this.fork();
      }
      if (this.listening.size < this.options.workers) return;
      this.phase = 'serving';
      const pids = [...this.listening].map((w) => w.process.pid).join(', ');
      this.logger.log(`listening on ${this.url()} with ${this.options.workers} workers (pids ${pids})`);
      return;
    }
    if (this.phase === 'serving') {
      this.logger.log(`worker ${worker.process.pid} serving in place of the one that died (${this.listening.size} of ${this.options.workers} up)`);
    }
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    this.live.delete(worker);
    this.listening.delete(worker);
    const pid = worker.process.pid;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (this.phase === 'stopping') {
      // A worker that had not yet installed its handler dies of the SIGTERM itself: still clean.
      if (code !== 0 && signal !== 'SIGTERM') this.exitCode = 1;
      this.finishIfEmpty();
      return;
    }
    if (this.phase === 'starting') {
      // The worker printed why (a bad flag, config or port); starting more would repeat it.
      this.logger.error(`worker ${pid} ${how} before the cluster was serving; stopping`);
      this.exitCode = 1;
      this.stopWorkers();
      return;
    }
    const now = Date.now();
    this.deaths = [...this.deaths.filter((at) => now - at < CRASH_WINDOW_MS), now];
    const delay = restartDelayMs(this.deaths.length);
    this.logger.warn(`worker ${pid} ${how}; starting a new one in ${delay} ms (${this.deaths.length} death(s) in the last minute)`);
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      this.fork();
    }, delay);
    this.restartTimers.add(timer);
  }

  /** First signal: every worker drains (SIGTERM). A second: forwarded, so the workers stop now. */
  private stop(signal: NodeJS.Signals): void {
    if (this.phase === 'stopping') {
      this.logger.warn(`${signal} again: workers stop now`);
      for (const worker of this.live) worker.process.kill('SIGTERM');
      return;
    }
    const graceS = this.options.shutdownGraceMs / 1000;
    this.logger.log(`${signal}: stopping ${this.live.size} worker(s); each lets its in-flight requests finish within ${graceS}s (send it again to stop now)`);
    this.stopWorkers();
  }

  private stopWorkers(): void {
    this.phase = 'stopping';
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    for (const worker of this.live) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of this.live) {
        this.logger.warn(`worker ${worker.process.pid} still running after the grace period; killing it`);
        worker.process.kill('SIGKILL');
      }
    }, this.options.shutdownGraceMs + KILL_AFTER_GRACE_MS).unref();
    this.finishIfEmpty();
  }

  private finishIfEmpty(): void {
    if (this.live.size === 0) this.finish(this.exitCode);
  }

  private url(): string {
    return `http://${this.options.host}:${this.port ?? this.options.port}`;
  }
}

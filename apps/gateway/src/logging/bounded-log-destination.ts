/**
 * Where log lines go when stdout is slower than the gateway. Node queues what a pipe or socket
 * does not take at once in the stream's memory, without limit: with a stalled log collector (a
 * blocked container log driver, a paused `| less`), every request's line piles up in the heap
 * (the benchmark saw 130 MB of queued lines in 15 s). Past `maxBacklogBytes` queued, lines are
 * dropped instead, counted, and the first drop of a stall is said once on stderr. A log line is
 * worth less than the gateway's memory; the requests themselves are not affected.
 */
export class BoundedLogDestination {
  private droppedLines = 0;
  private stalled = false;

  constructor(
    private readonly target: NodeJS.WritableStream & { readonly writableLength?: number },
    private readonly maxBacklogBytes: number,
    private readonly warn: (message: string) => void = (message) => process.stderr.write(`${message}\n`),
  ) {}

  /** pino's destination interface: one serialized line per call. */
  write(line: string): boolean {
    if ((this.target.writableLength ?? 0) > this.maxBacklogBytes) {
      this.droppedLines++;
      if (!this.stalled) {
        this.stalled = true;
        this.warn(`turnout: the log output is not keeping up; dropping log lines while more than ${this.maxBacklogBytes} bytes wait (TURNOUT_LOG_MAX_BACKLOG_BYTES)`);
      }
      return true;
    }
    if (this.stalled) {
      this.stalled = false;
      this.warn(`turnout: the log output caught up; ${this.droppedLines} log lines dropped so far`);
    }
    return this.target.write(line);
  }

  /** Lines dropped since start. */
  get dropped(): number {
    return this.droppedLines;
  }
}

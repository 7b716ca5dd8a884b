import type { Logger } from 'pino';
import { createProcessLogger } from './process-log';
import type { ExchangeRecord } from '@turnout/observability';

export type LogFormat = 'json' | 'pretty';

/**
 * One structured line per Messages request (pino). Only facts about the exchange: never prompt
 * content, never headers, so no credential can reach the log. JSON for machines; a readable
 * single line when a person watches a terminal.
 */
export class RequestLog {
  private readonly logger: Logger;
  /** Readers of every record written (the console's recent-requests ring); each must be O(1). */
  private readonly readers: Array<(record: ExchangeRecord) => void> = [];

  /**
   * The process logger (one stream for everything), or a format for a logger of its own.
   * `maxFieldLength`: fields that echo client input (model, rewrites naming client betas) are cut to it.
   */
  constructor(
    target: LogFormat | Logger,
    destination: NodeJS.WritableStream = process.stdout,
    private readonly maxFieldLength = DEFAULT_LOG_MAX_FIELD_LENGTH,
  ) {
    this.logger = typeof target === 'string' ? createProcessLogger(target, 'info', destination) : target;
  }

  /** `reader` sees every record after its line is written; it must not throw or block. */
  onWrite(reader: (record: ExchangeRecord) => void): void {
    this.readers.push(reader);
  }

  write(record: ExchangeRecord): void {
    const line = {
      request_id: record.requestId,
      trace_id: record.traceId,
      key: record.keyId,
      api: record.api,
      model: this.cut(record.model),
      route: record.route,
      provider: record.provider,
      mode: record.mode,
      stream: record.stream,
      status: record.status,
      outcome: record.outcome,
      error_code: record.errorCode ?? undefined,
      stop_reason: record.stopReason,
      ttft_ms: record.ttftS === undefined ? undefined : round(record.ttftS * 1000),
      duration_ms: round(record.durationS * 1000),
      input_tokens: record.usage?.inputTokens,
      output_tokens: record.usage?.outputTokens,
      cache_read_input_tokens: record.usage?.cacheReadInputTokens || undefined,
      tokens_reported: record.usage?.reported,
      rewrites: record.rewrites.length > 0 ? record.rewrites.slice(0, MAX_LOGGED_REWRITES).map((rewrite) => this.cut(rewrite)) : undefined,
    };
    if (record.outcome === 'completed' || record.outcome === 'client_aborted') this.logger.info(line, 'request');
    else this.logger.warn(line, 'request');
    for (const reader of this.readers) reader(record);
  }

  private cut(value: string): string {
    return value.length <= this.maxFieldLength ? value : `${value.slice(0, this.maxFieldLength)}…(${value.length} chars)`;
  }
}

export const DEFAULT_LOG_MAX_FIELD_LENGTH = 256;
/** Rewrites are a closed list of rules; more than this many on one line means something is wrong. */
const MAX_LOGGED_REWRITES = 16;

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** `TURNOUT_LOG_FORMAT` wins; otherwise readable on a terminal and JSON everywhere else. */
export function chooseLogFormat(configured: string | undefined, isTTY: boolean): LogFormat {
  if (configured === 'json' || configured === 'pretty') return configured;
  return isTTY ? 'pretty' : 'json';
}

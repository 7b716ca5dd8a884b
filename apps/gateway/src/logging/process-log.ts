import type { LoggerService } from '@nestjs/common';
import pino, { type Logger, type LevelWithSilent } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { LogFormat } from './request-log';

import { LOG_LEVELS, type ProcessLogLevel } from '../env/gateway-env';
import { DEFAULT_LIMITS } from '../env/gateway-limits';
import { BoundedLogDestination } from './bounded-log-destination';

export { LOG_LEVELS, type ProcessLogLevel };

/**
 * The process's one log stream: the request log, Nest's own messages and Turnout's start-up
 * and lifecycle lines all go through this pino logger, so a stream of JSON lines never has a
 * coloured text line in the middle, and a terminal gets one readable line per message.
 */
export function createProcessLogger(
  format: LogFormat,
  level: ProcessLogLevel = 'info',
  destination: NodeJS.WritableStream = process.stdout,
  maxBacklogBytes: number = DEFAULT_LIMITS.logMaxBacklogBytes,
): Logger {
  const options = { base: undefined, level: level as LevelWithSilent, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'msg' };
  if (format !== 'pretty') return pino(options, new BoundedLogDestination(destination, maxBacklogBytes));
  // Loaded only for a terminal: a JSON-logging gateway (containers, the benchmark) never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof PinoPretty;
  // Bounded at its input: the pretty stream queues what a stalled terminal does not take.
  const prettyStream = pretty({ destination, colorize: Boolean((destination as { isTTY?: boolean }).isTTY), singleLine: true, ignore: 'request_id' });
  return pino(options, new BoundedLogDestination(prettyStream, maxBacklogBytes));
}

/**
 * Nest's start-up chatter: module wiring and one "Mapped {/path, METHOD} route" line per route.
 * Useful when debugging the app, noise in an operator's start banner, so it goes out at debug.
 */
const DEBUG_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** Nest's LoggerService over pino: `context` becomes a field, Nest's levels map onto pino's. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = contextOf(rest);
    this.write(context !== undefined && DEBUG_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, contextOf(rest));
  }

  /** Nest calls `error(message, stack?, context?)`. */
  error(message: unknown, ...rest: unknown[]): void {
    const context = contextOf(rest);
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields: Record<string, unknown> = { ...(context === undefined ? {} : { context }), ...(stack ? { stack } : {}) };
    if (message instanceof Error) this.logger.error({ ...fields, err: message }, message.message);
    else this.logger.error(fields, String(message));
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, contextOf(rest));
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, contextOf(rest));
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, contextOf(rest));
  }

  private write(level: 'trace' | 'debug' | 'info' | 'warn' | 'fatal', message: unknown, context: string | undefined): void {
    const fields = context === undefined ? {} : { context };
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message));
  }
}

/** Nest passes the context as the last string argument. */
function contextOf(rest: readonly unknown[]): string | undefined {
  const last = rest[rest.length - 1];
  return typeof last === 'string' ? last : undefined;
}

import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { parseRedisUrl } from '@turnout/config-store';
import { resolveConfigPath } from './config-path';
import { loadGatewayLimits, LimitError, type GatewayLimits } from './gateway-limits';
import { allowedSecrets } from './provider-secrets';

/** Everything the process takes from its environment and flags, validated once at start. */
export interface GatewayEnv {
  readonly host: string;
  readonly port: number;
  readonly configPath: string;
  /** `TURNOUT_ADMIN_TOKEN`: turns the admin API on, for this bearer token only. */
  readonly adminToken: string | undefined;
  /** `REDIS_URL`: the routing config lives in Redis (seeded from the config file); unset means the file alone. */
  readonly redisUrl: string | undefined;
  /** `TURNOUT_METRICS_TOKEN`: when set, `GET /metrics` wants `Authorization: Bearer <it>`. */
  readonly metricsToken: string | undefined;
  /** `TURNOUT_METRICS_MAX_MODELS`: distinct requested-model label values before `_other`. */
  readonly metricsMaxModels: number;
  /** `TURNOUT_LOG_FORMAT` (json | pretty); unset means pretty on a terminal, JSON otherwise. */
  readonly logFormat: string | undefined;
  /** `TURNOUT_LOG_LEVEL` (trace | debug | info | warn | error | silent; default info): debug shows Nest's route mapping. */
  readonly logLevel: ProcessLogLevel;
  /** `TURNOUT_SHUTDOWN_GRACE_MS`: how long a stopping gateway lets in-flight requests finish (default 30 s). */
  readonly shutdownGraceMs: number;
  /** `--workers` / `TURNOUT_WORKERS`: processes serving the port (1: no cluster at all; `auto`: one per CPU). */
  readonly workers: number;
  /** Every bound and its knob (README "Limits"). */
  readonly limits: GatewayLimits;
  /** Environment variables on the `api_key_env` allowlist, read only to fetch upstream keys. */
  readonly secrets: Readonly<Record<string, string | undefined>>;
}

export const GATEWAY_ENV = Symbol('GATEWAY_ENV');

/** The process log levels `TURNOUT_LOG_LEVEL` / `--log-level` accept. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
export type ProcessLogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4000;
export const DEFAULT_METRICS_MAX_MODELS = 100;
/** A rolling deploy waits this long for in-flight streams (Kubernetes' default grace is 30 s too). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

export interface ServeFlags {
  readonly config?: string;
  readonly port?: string;
  readonly host?: string;
  readonly workers?: string;
  readonly 'log-format'?: string;
}

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvError';
  }
}

/**
 * Flags win over environment variables, which win over defaults. Pure: no process access (the
 * CPU count for `--workers auto` and the file check of the config search are passed in).
 */
export function loadGatewayEnv(
  env: Readonly<Record<string, string | undefined>>,
  flags: ServeFlags,
  cpuCount: () => number = availableParallelism,
  fileExists: (path: string) => boolean = existsSync,
): GatewayEnv {
  const portText = flags.port ?? env.PORT;
  const port = portText === undefined || portText === '' ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new EnvError(`port must be an integer from 0 to 65535 (got "${portText}")`);
  }
  const host = flags.host ?? (env.HOST || DEFAULT_HOST);
  if (host !== 'localhost' && isIP(host) === 0 && !/^[a-zA-Z0-9.-]+$/.test(host)) {
    throw new EnvError(`host must be an IP address or a host name (got "${host}")`);
  }
  const resolved = resolveConfigPath(flags.config, env.TURNOUT_CONFIG, env.REDIS_URL, fileExists);
  if (!('path' in resolved)) throw new EnvError(`no config file found; tried: ${resolved.tried.join(', ')}. Pass --config PATH or set TURNOUT_CONFIG`);
  const configPath = resolved.path;
  const maxModelsText = env.TURNOUT_METRICS_MAX_MODELS;
  const metricsMaxModels = maxModelsText ? Number(maxModelsText) : DEFAULT_METRICS_MAX_MODELS;
  if (!Number.isInteger(metricsMaxModels) || metricsMaxModels < 1) {
    throw new EnvError(`TURNOUT_METRICS_MAX_MODELS must be a positive integer (got "${maxModelsText}")`);
  }
  const logFormat = flags['log-format'] ?? (env.TURNOUT_LOG_FORMAT || undefined);
  if (logFormat !== undefined && logFormat !== 'json' && logFormat !== 'pretty') {
    throw new EnvError(`${flags['log-format'] === undefined ? 'TURNOUT_LOG_FORMAT' : '--log-format'} must be json or pretty (got "${logFormat}")`);
  }
  const logLevel = (env.TURNOUT_LOG_LEVEL || 'info') as ProcessLogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new EnvError(`TURNOUT_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  const graceText = env.TURNOUT_SHUTDOWN_GRACE_MS;
  const shutdownGraceMs = graceText ? Number(graceText) : DEFAULT_SHUTDOWN_GRACE_MS;
  if (!Number.isInteger(shutdownGraceMs) || shutdownGraceMs < 0) {
    throw new EnvError(`TURNOUT_SHUTDOWN_GRACE_MS must be a whole number of milliseconds (got "${graceText}")`);
  }
  if (env.REDIS_URL) {
    try {
      parseRedisUrl(env.REDIS_URL);
    } catch (error) {
      throw new EnvError((error as Error).message);
    }
  }
  const workers = parseWorkers(flags.workers ?? env.TURNOUT_WORKERS, cpuCount);
  let limits: GatewayLimits;
  try {
    limits = loadGatewayLimits(env);
  } catch (error) {
    if (error instanceof LimitError) throw new EnvError(error.message);
    throw error;
  }
  return Object.freeze({
    host,
    workers,
    shutdownGraceMs,
    port,
    configPath,
    adminToken: env.TURNOUT_ADMIN_TOKEN || undefined,
    redisUrl: env.REDIS_URL || undefined,
    metricsToken: env.TURNOUT_METRICS_TOKEN || undefined,
    metricsMaxModels,
    logFormat,
    logLevel,
    limits,
    secrets: allowedSecrets(env, limits.apiKeyEnvAllow),
  });
}

/** `auto` is one worker per CPU this process may use; otherwise a whole number from 1 (unset: 1). */
function parseWorkers(text: string | undefined, cpuCount: () => number): number {
  if (text === undefined || text === '') return 1;
  if (text === 'auto') return Math.max(1, cpuCount());
  const workers = Number(text);
  if (!/^\d+$/.test(text) || workers < 1) {
    throw new EnvError(`workers must be a whole number from 1, or auto (got "${text}")`);
  }
  return workers;
}


/**
 * The bounds on what a client (or an admin, or a dependency) can make the gateway do, each with
 * its environment knob (README "Limits"). Parsed once at start with the rest of the environment.
 */
export interface GatewayLimits {
  /** `TURNOUT_MAX_BODY_BYTES`: largest request body (413 above it; Anthropic's own limit is 32 MB). */
  readonly maxBodyBytes: number;
  /** `TURNOUT_MAX_DRAIN_BYTES`: how much of a too-large body is read and dropped so the 413 reaches the client. */
  readonly maxDrainBytes: number;
  /** `TURNOUT_MAX_MODEL_NAME_LENGTH`: longer `model` values are a 400 (UTF-16 code units). */
  readonly maxModelNameLength: number;
  /** `TURNOUT_MAX_JSON_DEPTH`: nesting of request and admin JSON bodies, checked on the bytes. */
  readonly maxJsonDepth: number;
  /** `TURNOUT_MAX_CONTENT_BLOCKS`: content blocks in one message. */
  readonly maxContentBlocks: number;
  /** `TURNOUT_ADMIN_MAX_BODY_BYTES`: an admin config document. */
  readonly adminMaxBodyBytes: number;
  /** `TURNOUT_METRICS_MAX_LABEL_LENGTH`: longest metric label value (longer known names are cut). */
  readonly metricsMaxLabelLength: number;
  /** `TURNOUT_LOG_MAX_FIELD_LENGTH`: log fields that echo client input are cut to this. */
  readonly logMaxFieldLength: number;
  /** `TURNOUT_LOG_MAX_BACKLOG_BYTES`: log lines are dropped while more than this waits for stdout (logging/bounded-log-destination.ts). */
  readonly logMaxBacklogBytes: number;
  /** `TURNOUT_REDIS_COMMAND_TIMEOUT_MS`: every Redis command (ioredis commandTimeout). */
  readonly redisCommandTimeoutMs: number;
  /** `TURNOUT_RATE_LIMIT_ON_STORE_ERROR`: open (admit) or closed (refuse) while Redis fails. */
  readonly rateLimitOnStoreError: 'open' | 'closed';
  /** `TURNOUT_API_KEY_ENV_ALLOW`: globs an `api_key_env` name must match (comma-separated). */
  readonly apiKeyEnvAllow: readonly string[];
  /** `TURNOUT_CIRCUIT_PANIC`: when every target of a route is open, try them anyway (on|off). */
  readonly circuitPanic: boolean;
  /** `TURNOUT_MAX_KEYS`: keys stored through the admin API (revoked ones included). */
  readonly maxKeys: number;
  /** `TURNOUT_KEY_NAME_MAX_LENGTH`: a stored key's name. */
  readonly keyNameMaxLength: number;
  /** `TURNOUT_USAGE_DAYS`: daily usage buckets kept per key (and the most `?days=` returns). */
  readonly usageDays: number;
  /** `TURNOUT_AUDIT_MAX_ENTRIES`: admin writes kept in the audit list (oldest dropped). */
  readonly auditMaxEntries: number;
  /** `TURNOUT_CONSOLE_RECENT_REQUESTS`: finished requests the console's live traffic page keeps in memory. */
  readonly consoleRecentRequests: number;
}

export const DEFAULT_LIMITS: GatewayLimits = Object.freeze({
  maxBodyBytes: 32 * 1024 * 1024,
  maxDrainBytes: 128 * 1024 * 1024,
  maxModelNameLength: 256,
  maxJsonDepth: 64,
  maxContentBlocks: 10_000,
  adminMaxBodyBytes: 1024 * 1024,
  metricsMaxLabelLength: 128,
  logMaxFieldLength: 256,
  logMaxBacklogBytes: 8 * 1024 * 1024,
  redisCommandTimeoutMs: 250,
  rateLimitOnStoreError: 'open',
  apiKeyEnvAllow: Object.freeze(['TURNOUT_*', '*_API_KEY']),
  circuitPanic: true,
  maxKeys: 1_000,
  keyNameMaxLength: 64,
  usageDays: 90,
  auditMaxEntries: 1_000,
  consoleRecentRequests: 200,
});

export class LimitError extends Error {}

/** Reads every knob; a bad value names itself (the caller wraps it into its EnvError). */
export function loadGatewayLimits(env: Readonly<Record<string, string | undefined>>): GatewayLimits {
  const int = (name: string, fallback: number, min: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min) throw new LimitError(`${name} must be a whole number from ${min} (got "${text}")`);
    return value;
  };
  const choice = <T extends string>(name: string, fallback: T, choices: readonly T[]): T => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    if (!(choices as readonly string[]).includes(text)) throw new LimitError(`${name} must be one of ${choices.join(', ')} (got "${text}")`);
    return text as T;
  };
  const allowText = env.TURNOUT_API_KEY_ENV_ALLOW;
  return Object.freeze({
    maxBodyBytes: int('TURNOUT_MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes, 1),
    maxDrainBytes: int('TURNOUT_MAX_DRAIN_BYTES', DEFAULT_LIMITS.maxDrainBytes, 1),
    maxModelNameLength: int('TURNOUT_MAX_MODEL_NAME_LENGTH', DEFAULT_LIMITS.maxModelNameLength, 1),
    maxJsonDepth: int('TURNOUT_MAX_JSON_DEPTH', DEFAULT_LIMITS.maxJsonDepth, 2),
    maxContentBlocks: int('TURNOUT_MAX_CONTENT_BLOCKS', DEFAULT_LIMITS.maxContentBlocks, 1),
    adminMaxBodyBytes: int('TURNOUT_ADMIN_MAX_BODY_BYTES', DEFAULT_LIMITS.adminMaxBodyBytes, 1024),
    metricsMaxLabelLength: int('TURNOUT_METRICS_MAX_LABEL_LENGTH', DEFAULT_LIMITS.metricsMaxLabelLength, 8),
    logMaxFieldLength: int('TURNOUT_LOG_MAX_FIELD_LENGTH', DEFAULT_LIMITS.logMaxFieldLength, 8),
    logMaxBacklogBytes: int('TURNOUT_LOG_MAX_BACKLOG_BYTES', DEFAULT_LIMITS.logMaxBacklogBytes, 64 * 1024),
    redisCommandTimeoutMs: int('TURNOUT_REDIS_COMMAND_TIMEOUT_MS', DEFAULT_LIMITS.redisCommandTimeoutMs, 1),
    rateLimitOnStoreError: choice('TURNOUT_RATE_LIMIT_ON_STORE_ERROR', DEFAULT_LIMITS.rateLimitOnStoreError, ['open', 'closed'] as const),
    apiKeyEnvAllow:
      allowText === undefined || allowText === ''
        ? DEFAULT_LIMITS.apiKeyEnvAllow
        : Object.freeze(allowText.split(',').map((glob) => glob.trim()).filter((glob) => glob !== '')),
    circuitPanic: choice('TURNOUT_CIRCUIT_PANIC', 'on', ['on', 'off'] as const) === 'on',
    maxKeys: int('TURNOUT_MAX_KEYS', DEFAULT_LIMITS.maxKeys, 1),
    keyNameMaxLength: int('TURNOUT_KEY_NAME_MAX_LENGTH', DEFAULT_LIMITS.keyNameMaxLength, 1),
    usageDays: int('TURNOUT_USAGE_DAYS', DEFAULT_LIMITS.usageDays, 1),
    auditMaxEntries: int('TURNOUT_AUDIT_MAX_ENTRIES', DEFAULT_LIMITS.auditMaxEntries, 1),
    consoleRecentRequests: int('TURNOUT_CONSOLE_RECENT_REQUESTS', DEFAULT_LIMITS.consoleRecentRequests, 1),
  });
}

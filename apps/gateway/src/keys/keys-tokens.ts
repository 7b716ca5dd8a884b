/** Nest injection token for the per-key rate limiter (Redis-backed when REDIS_URL is set). */
export const RATE_LIMITER = Symbol('RATE_LIMITER');
/** Nest injection token for the stored keys (Redis when REDIS_URL is set; read-only otherwise). */
export const KEY_STORE = Symbol('KEY_STORE');
/** Nest injection token for per-key usage (daily buckets; Redis when REDIS_URL is set, memory otherwise). */
export const USAGE_STORE = Symbol('USAGE_STORE');

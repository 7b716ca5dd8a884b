/** Nest injection token for the per-key rate limiter (Redis-backed when REDIS_URL is set). */
export const RATE_LIMITER = Symbol('RATE_LIMITER');

/** Nest injection tokens for the routing state shared across replicas (Redis) or kept in memory. */
export const AFFINITY_STORE = Symbol('AFFINITY_STORE');
export const INFLIGHT_COUNTER = Symbol('INFLIGHT_COUNTER');

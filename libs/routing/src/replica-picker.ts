import type { RouteConfig } from '@turnout/config';

export interface ReplicaState {
  /** Whether the replica's provider may take requests now (its circuit is not open). */
  readonly available: boolean;
  readonly inFlight: number;
}

/**
 * Picks one of a route's replicas: the session's replica while it is available (affinity), else
 * by balance: `weighted` (random by weight) or `least-in-flight` (ties by weight, then order).
 * Unavailable replicas are skipped unless all are (then the first is tried, and fails fast).
 */
export function pickReplica(
  route: RouteConfig,
  states: readonly ReplicaState[],
  sticky: number | undefined,
  random: () => number = Math.random,
): { index: number; why: string } {
  if (route.targets.length === 1) return { index: 0, why: 'the route has one target' };
  if (sticky !== undefined && states[sticky]?.available) return { index: sticky, why: `session affinity: this session's replica (#${sticky})` };
  const usable = route.targets.map((target, index) => ({ target, index })).filter(({ index }) => states[index]?.available !== false);
  const pool = usable.length > 0 ? usable : route.targets.map((target, index) => ({ target, index }));
  const lostAffinity = sticky !== undefined ? `; its session replica #${sticky} is unavailable` : '';
  if (route.balance === 'least-in-flight') {
    const best = [...pool].sort((a, b) => (states[a.index]?.inFlight ?? 0) - (states[b.index]?.inFlight ?? 0) || b.target.weight - a.target.weight || a.index - b.index)[0]!;
    return { index: best.index, why: `least in flight (${states[best.index]?.inFlight ?? 0})${lostAffinity}` };
  }
  const total = pool.reduce((sum, { target }) => sum + target.weight, 0);
  let ticket = random() * total;
  for (const { target, index } of pool) {
    ticket -= target.weight;
    if (ticket < 0) return { index, why: `weighted choice (weight ${target.weight} of ${total})${lostAffinity}` };
  }
  const last = pool[pool.length - 1]!;
  return { index: last.index, why: `weighted choice (weight ${last.target.weight} of ${total})${lostAffinity}` };
}

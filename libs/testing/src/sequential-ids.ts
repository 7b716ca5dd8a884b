/**
 * A deterministic `TranslateContext.newId` for tests: one counter per prefix, so the first
 * message id is always `msg_000001` and the first generated tool id `toolu_000001`. Create a
 * fresh one per translation when two translations must be compared id for id.
 */
export function sequentialIds(): (prefix: string) => string {
  const counters = new Map<string, number>();
  return (prefix) => {
    const next = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, next);
    return `${prefix}_${String(next).padStart(6, '0')}`;
  };
}

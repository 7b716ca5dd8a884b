/**
 * `items.map(fn)`, except that the original array comes back when `fn` returned every item
 * unchanged: identity is how the rules say "nothing to do" without a separate flag.
 */
export function mapIfChanged<T>(items: T[], fn: (item: T) => T): T[] {
  // Only the envelope is validated before hygiene runs: a field of the wrong type is left for
  // the track to judge (and must never crash a rule).
  if (!Array.isArray(items)) return items;
  let changed = false;
  const mapped = items.map((item) => {
    const next = fn(item);
    if (next !== item) changed = true;
    return next;
  });
  return changed ? mapped : items;
}

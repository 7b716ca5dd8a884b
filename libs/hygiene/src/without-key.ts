/**
 * A shallow copy of `value` without `key`, or `value` itself when the key is absent (so an
 * unchanged object keeps its identity). Callers pass only optional keys, which is why the
 * copy may keep the type `T`.
 */
export function withoutKey<T extends object>(value: T, key: string): T {
  if (!Object.hasOwn(value, key)) return value;
  const copy = { ...value } as Record<string, unknown>;
  delete copy[key];
  return copy as T;
}

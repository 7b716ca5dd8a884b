/**
 * Deep copy of JSON data made in the caller's realm. Jest runs each test file in its own
 * realm while `structuredClone` returns host-realm objects, which `toStrictEqual` then
 * reports as different types.
 */
export function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

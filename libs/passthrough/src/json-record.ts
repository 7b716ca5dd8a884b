/** Narrows parsed JSON to a plain object (not null, not an array): the one check every reader here needs. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

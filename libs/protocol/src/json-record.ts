/** A parsed JSON object, read-only: what every reader of untrusted JSON narrows `unknown` to. */
export type JsonRecord = Readonly<Record<string, unknown>>;

/** Narrows parsed JSON to a plain object (not null, not an array): the one check every reader needs. */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

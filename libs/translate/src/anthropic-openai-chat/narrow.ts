import { GatewayError } from '@turnout/errors';
import { isRecord, type JsonRecord } from '@turnout/protocol';

/**
 * Narrowing helpers for request parts the SDK typings do not pin down. The envelope validator
 * checks only top-level fields (docs/style.md §5), so everything below `messages[i]` is read as
 * `unknown` and checked field by field before use.
 */
/** `value` as an array of records; anything else (absent, a scalar, non-record items) is skipped. */
export function recordsOf(value: unknown): readonly JsonRecord[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}

/** A required string field of a known block; its absence makes the request untranslatable. */
export function requireString(record: JsonRecord, key: string, path: string): string {
  const value = record[key];
  if (typeof value === 'string') return value;
  throw invalidRequest(`${path}.${key}: Field required (a string)`);
}

export function invalidRequest(message: string): GatewayError {
  return new GatewayError('GW_INVALID_REQUEST', { message });
}

/** Joins the non-empty pieces with `separator`; empty strings add no stray separators. */
export function joinNonEmpty(pieces: readonly string[], separator: string): string {
  return pieces.filter((piece) => piece !== '').join(separator);
}

import { isRecord } from '@turnout/protocol';

/**
 * Narrowing for the untyped JSON the probe endpoints answer. Servers change their payloads
 * between releases, so every reader takes `unknown` and returns only what is really there.
 */
/** The value at a path of object keys, or undefined at the first missing step. */
export function fieldAt(json: unknown, ...path: readonly string[]): unknown {
  let current: unknown = json;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function stringAt(json: unknown, ...path: readonly string[]): string | undefined {
  const value = fieldAt(json, ...path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A token count or length: a positive integer, else undefined. */
export function positiveIntAt(json: unknown, ...path: readonly string[]): number | undefined {
  const value = fieldAt(json, ...path);
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

export function recordsAt(json: unknown, ...path: readonly string[]): ReadonlyArray<Readonly<Record<string, unknown>>> {
  const value = fieldAt(json, ...path);
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The smallest of the numbers given, ignoring undefined: the window no request may exceed. */
export function smallest(values: ReadonlyArray<number | undefined>): number | undefined {
  const present = values.filter((value): value is number => value !== undefined);
  return present.length > 0 ? Math.min(...present) : undefined;
}

/** Model ids of an OpenAI-shaped list (`{"object":"list","data":[{"id":…}]}`), which every kind serves. */
export function openAiModelIds(json: unknown): readonly string[] {
  return recordsAt(json, 'data')
    .map((model) => stringAt(model, 'id'))
    .filter((id): id is string => id !== undefined);
}

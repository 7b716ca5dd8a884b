import type { ProbeReading } from '../kinds/provider-kind';

/**
 * Several endpoints' readings as one: the first version and messages verdict seen, every
 * model once (in the order seen), and the smallest context window (the one a request
 * must fit, when slots or models differ).
 */
export function mergeReadings(readings: readonly ProbeReading[]): ProbeReading {
  const models = [...new Set(readings.flatMap((reading) => reading.models ?? []))];
  const windows = readings.map((reading) => reading.contextWindow).filter((size): size is number => size !== undefined);
  const version = readings.find((reading) => reading.version !== undefined)?.version;
  const servesMessages = readings.find((reading) => reading.servesMessages !== undefined)?.servesMessages;
  return {
    ...(version !== undefined ? { version } : {}),
    ...(servesMessages !== undefined ? { servesMessages } : {}),
    ...(windows.length > 0 ? { contextWindow: Math.min(...windows) } : {}),
    ...(models.length > 0 ? { models } : {}),
  };
}

/**
 * The envelope's bounds that have knobs (README "Limits"). The DTO's decorators are static, so
 * the values live here, set once at start from the environment (`createGateway`) and read by the
 * validators; the defaults hold wherever the DTOs load without a gateway (the CLI, unit tests).
 */
export interface EnvelopeLimits {
  readonly maxModelNameLength: number;
  readonly maxContentBlocks: number;
}

export const DEFAULT_ENVELOPE_LIMITS: EnvelopeLimits = Object.freeze({ maxModelNameLength: 256, maxContentBlocks: 10_000 });

let current: EnvelopeLimits = DEFAULT_ENVELOPE_LIMITS;

export function setEnvelopeLimits(limits: EnvelopeLimits): void {
  current = Object.freeze({ maxModelNameLength: limits.maxModelNameLength, maxContentBlocks: limits.maxContentBlocks });
}

export function envelopeLimits(): EnvelopeLimits {
  return current;
}

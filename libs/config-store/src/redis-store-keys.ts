/** The Redis names one deployment's config lives under; the prefix separates deployments. */
export interface RedisStoreKeys {
  /** The current document (JSON). */
  readonly document: string;
  /** Highest revision ever written: revisions never repeat, even after a hand edit. */
  readonly revision: string;
  /** Earlier documents, newest first, capped. */
  readonly history: string;
  /** Change notices; the message is the new revision. */
  readonly channel: string;
}

export function redisStoreKeys(prefix: string): RedisStoreKeys {
  return { document: `${prefix}config`, revision: `${prefix}config:revision`, history: `${prefix}config:history`, channel: `${prefix}config:changed` };
}

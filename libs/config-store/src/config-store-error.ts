export type ConfigStoreErrorKind = 'conflict' | 'invalid' | 'unavailable' | 'read_only' | 'not_found';

/**
 * A store failure the admin API turns into an HTTP answer: conflict 409 (stale revision),
 * invalid 400, unavailable 503 (Redis not there: try again later), read_only (the file store:
 * this deployment cannot change config live, retrying will not help), not_found 404.
 */
export class ConfigStoreError extends Error {
  constructor(
    readonly kind: ConfigStoreErrorKind,
    message: string,
    /** For conflicts: the revision that is current now. */
    readonly currentRevision?: number,
  ) {
    super(message);
    this.name = 'ConfigStoreError';
  }
}

/**
 * What one probe learnt about an upstream. Fields are absent when the server did not say;
 * `error` says what went wrong even when the server is reachable (401, a 500 on one endpoint).
 */
export interface ProviderProbe {
  readonly reachable: boolean;
  readonly version?: string;
  readonly servesMessages?: boolean;
  readonly contextWindow?: number;
  readonly models?: readonly string[];
  readonly error?: string;
  /** ISO 8601 time the probe started. */
  readonly checkedAt: string;
}

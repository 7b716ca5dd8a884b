import 'reflect-metadata';
import { IsIn, IsInt, IsOptional, Max, Min } from './class-validator-parts';

/** Per provider: how many requests may run at once, and how many may wait for a slot (issue 6). */
export class ProviderLimitsDto {
  /** Requests in flight at once (a local server's slots, `llama-server -np`). Unset: no limit. */
  @IsOptional() @Max(100_000) @Min(1) @IsInt()
  max_in_flight?: number;

  /** Requests waiting for a slot; past it the client gets 529 overloaded_error at once. */
  @IsOptional() @Max(100_000) @Min(0) @IsInt()
  max_queue?: number;

  /** Longest wait for a slot before 529 overloaded_error. */
  @IsOptional() @Max(3_600_000) @Min(1) @IsInt()
  max_wait_ms?: number;
}

/**
 * Per provider: consecutive failed requests (after their retries) that open the circuit, once
 * at least `min_requests` requests ended within `window_ms`; and how long it stays open.
 */
export class CircuitConfigDto {
  @IsOptional() @Max(1_000) @Min(1) @IsInt()
  failure_threshold?: number;

  @IsOptional() @Max(100_000) @Min(1) @IsInt()
  min_requests?: number;

  @IsOptional() @Max(3_600_000) @Min(1_000) @IsInt()
  window_ms?: number;

  @IsOptional() @Max(3_600_000) @Min(100) @IsInt()
  cooldown_ms?: number;
}

/** Per provider: retries while nothing has reached the client (connect failures, 429, 503, 5xx). */
export class RetryConfigDto {
  /** Tries in all, the first one included; 1 turns retries off. */
  @IsOptional() @Max(10) @Min(1) @IsInt()
  max_attempts?: number;

  @IsOptional() @Max(60_000) @Min(0) @IsInt()
  base_delay_ms?: number;

  @IsOptional() @Max(300_000) @Min(0) @IsInt()
  max_delay_ms?: number;
}

export const ON_DISCONNECT = ['abort', 'drain'] as const;
export type OnDisconnect = (typeof ON_DISCONNECT)[number];

export const COMMIT_MODES = ['first-event', 'early'] as const;
export type CommitMode = (typeof COMMIT_MODES)[number];

export const ON_DISCONNECT_RULE = IsIn(ON_DISCONNECT as unknown as string[], { message: `on_disconnect must be one of: ${ON_DISCONNECT.join(', ')}` });
export const COMMIT_RULE = IsIn(COMMIT_MODES as unknown as string[], { message: `commit must be one of: ${COMMIT_MODES.join(', ')}` });

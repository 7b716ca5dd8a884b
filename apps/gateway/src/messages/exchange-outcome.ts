import type { ErrorCode } from '@turnout/errors';
import type { StopReason } from '@turnout/protocol';
import type { UsageReport } from '@turnout/translate';
import type { StreamOutcome } from './reply-writer';

/**
 * What one forwarded request came to. Both forwarders report the same shape, so the pipeline
 * records every request in one place.
 */
export interface ExchangeOutcome {
  readonly outcome: StreamOutcome;
  readonly usage: UsageReport | undefined;
  readonly stopReason: StopReason | string | null;
  /** Set when a committed stream ended with `event: error`: what went wrong, for the error metrics. */
  readonly errorCode?: ErrorCode;
  /** Rewrites the forwarder applied itself (on top of the pipeline's hygiene), e.g. `drop-thinking`. */
  readonly rewrites?: readonly string[];
}

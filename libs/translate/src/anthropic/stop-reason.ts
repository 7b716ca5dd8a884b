import type { StopReason } from '@turnout/protocol';

/** How an Anthropic message ended: the `stop_reason` and, for `stop_sequence`, the matched string. */
export interface AnthropicStop {
  readonly stopReason: StopReason;
  readonly stopSequence: string | null;
}

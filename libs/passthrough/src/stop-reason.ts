/**
 * The stop reason the exchange really ended with. llama.cpp reports `end_turn` when a stop
 * sequence matched, while setting `stop_sequence` (docs/protocol.md §10 D11); logs and metrics
 * should say `stop_sequence`. The client still gets the upstream's bytes unchanged.
 */
export function effectiveStopReason(stopReason: unknown, stopSequence: unknown): string | null {
  if (typeof stopReason !== 'string') return null;
  if (stopReason === 'end_turn' && typeof stopSequence === 'string') return 'stop_sequence';
  return stopReason;
}

import type { UsageReport } from '@turnout/translate';
import { isRecord } from '@turnout/protocol';
import { effectiveStopReason } from './stop-reason';
import { readUsageCounts, toUsageReport } from './usage-counts';

/** Usage and stop reason of a non-streaming Anthropic Message body (already parsed); never throws. */
export function readUnaryUsage(json: unknown): { usage: UsageReport | undefined; stopReason: string | null } {
  if (!isRecord(json)) return { usage: undefined, stopReason: null };
  const message = json;
  const counts = readUsageCounts(message.usage);
  return {
    usage: counts === undefined ? undefined : toUsageReport(counts),
    stopReason: effectiveStopReason(message.stop_reason, message.stop_sequence),
  };
}

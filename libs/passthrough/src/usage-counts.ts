import type { UsageReport } from '@turnout/translate';
import { isRecord } from '@turnout/protocol';

/** Token counts an Anthropic `usage` object states; a missing or null field says nothing. */
export interface UsageCounts {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly cacheReadInputTokens?: number;
  readonly cacheCreationInputTokens?: number;
}

/** The counts in a `usage` object, or undefined when it is not one. Non-numeric fields are ignored. */
export function readUsageCounts(usage: unknown): UsageCounts | undefined {
  if (!isRecord(usage)) return undefined;
  const record = usage;
  const counts: { -readonly [K in keyof UsageCounts]: number } = {};
  const input = count(record.input_tokens);
  const output = count(record.output_tokens);
  const cacheRead = count(record.cache_read_input_tokens);
  const cacheCreation = count(record.cache_creation_input_tokens);
  if (input !== undefined) counts.inputTokens = input;
  if (output !== undefined) counts.outputTokens = output;
  if (cacheRead !== undefined) counts.cacheReadInputTokens = cacheRead;
  if (cacheCreation !== undefined) counts.cacheCreationInputTokens = cacheCreation;
  return counts;
}

/**
 * Later counts win field by field: `message_delta.usage` fields are cumulative totals that
 * replace what `message_start` said (docs/protocol.md §3.3), and absent fields keep the earlier value.
 */
export function mergeUsageCounts(earlier: UsageCounts | undefined, later: UsageCounts): UsageCounts {
  return { ...earlier, ...later };
}

export function toUsageReport(counts: UsageCounts): UsageReport {
  return {
    inputTokens: counts.inputTokens ?? 0,
    outputTokens: counts.outputTokens ?? 0,
    cacheReadInputTokens: counts.cacheReadInputTokens ?? 0,
    cacheCreationInputTokens: counts.cacheCreationInputTokens ?? 0,
    reported: true,
  };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

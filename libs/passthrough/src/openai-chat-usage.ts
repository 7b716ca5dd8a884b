import type { UsageReport } from '@turnout/translate';
import { isRecord } from '@turnout/protocol';

/**
 * An OpenAI `usage` object in the gateway's terms: `prompt_tokens` includes the cached ones
 * (`prompt_tokens_details.cached_tokens`), Anthropic's `input_tokens` does not, so the cached
 * share is moved to `cacheReadInputTokens`. Undefined when it is not a usage object.
 */
export function readOpenAiUsage(usage: unknown): UsageReport | undefined {
  if (!isRecord(usage)) return undefined;
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  if (prompt === undefined && completion === undefined) return undefined;
  const cached = isRecord(usage.prompt_tokens_details) ? (count(usage.prompt_tokens_details.cached_tokens) ?? 0) : 0;
  return {
    inputTokens: Math.max(0, (prompt ?? 0) - cached),
    outputTokens: completion ?? 0,
    cacheReadInputTokens: cached,
    cacheCreationInputTokens: 0,
    reported: true,
  };
}

/** Usage and finish reason of a non-streaming chat completion (already parsed); never throws. */
export function readOpenAiUnaryUsage(json: unknown): { usage: UsageReport | undefined; stopReason: string | null } {
  if (!isRecord(json)) return { usage: undefined, stopReason: null };
  const choice = Array.isArray(json.choices) ? json.choices[0] : undefined;
  const finish = isRecord(choice) && typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
  return { usage: readOpenAiUsage(json.usage), stopReason: finish };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

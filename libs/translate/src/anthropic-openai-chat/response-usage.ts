import { finiteNumber } from './response-json';
import { isRecord } from '@turnout/protocol';
import type { UsageFigures } from '../anthropic/usage';

/**
 * OpenAI `usage` → Anthropic figures with the cache split (docs/protocol.md §7.6): Anthropic's
 * `input_tokens` counts only uncached prompt tokens, and clients add the three input figures to
 * get the prompt size, so cached tokens must be moved out of `prompt_tokens`, not added twice.
 * Cache writes are only known from OpenRouter-style `prompt_tokens_details.cache_write_tokens`.
 * Returns undefined when the object carries no token counts at all (treated as missing usage).
 */
export function usageFromOpenAi(usage: unknown): UsageFigures | undefined {
  if (!isRecord(usage)) return undefined;
  const prompt = finiteNumber(usage.prompt_tokens);
  const completion = finiteNumber(usage.completion_tokens);
  if (prompt === undefined && completion === undefined) return undefined;
  const promptDetails = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isRecord(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  const cacheRead = finiteNumber(promptDetails.cached_tokens) ?? 0;
  const cacheCreation = finiteNumber(promptDetails.cache_write_tokens) ?? 0;
  return {
    report: {
      inputTokens: Math.max((prompt ?? 0) - cacheRead - cacheCreation, 0),
      outputTokens: completion ?? 0,
      cacheReadInputTokens: cacheRead,
      cacheCreationInputTokens: cacheCreation,
      reported: true,
    },
    thinkingTokens: finiteNumber(completionDetails.reasoning_tokens) ?? null,
  };
}

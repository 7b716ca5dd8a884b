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

/**
 * llama.cpp's `prompt_progress` (sent when the request asks `return_progress`): the first one
 * comes before any token, with the prompt's size (`total`) and the part read from its cache
 * (`cache`), so `message_start` can carry the real input figures instead of 0. They equal the
 * final `usage` split (`prompt_tokens`, `prompt_tokens_details.cached_tokens`).
 */
export function usageFromPromptProgress(progress: unknown): UsageFigures | undefined {
  if (!isRecord(progress)) return undefined;
  const total = finiteNumber(progress.total);
  if (total === undefined) return undefined;
  const cacheRead = Math.min(finiteNumber(progress.cache) ?? 0, total);
  return {
    report: { inputTokens: total - cacheRead, outputTokens: 0, cacheReadInputTokens: cacheRead, cacheCreationInputTokens: 0, reported: true },
    thinkingTokens: null,
  };
}

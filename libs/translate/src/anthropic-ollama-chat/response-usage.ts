import type { AnthropicUsage } from '@turnout/protocol';
import { finiteNumber } from '../anthropic-openai-chat/response-json';
import { toAnthropicUsage, type UsageFigures } from '../anthropic/usage';

/** Figures to use where Ollama reports none: the request's prompt estimate and an output estimate. */
export interface UsageEstimate {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * Ollama metrics → Anthropic usage (docs/protocol.md §8.2): `input_tokens = prompt_eval_count` (the
 * whole prompt: current Ollama counts cached and processed tokens), `output_tokens = eval_count`,
 * cache figures 0 (Ollama does not split them). Older versions leave a zero count out; a missing
 * count takes the estimate, never 0, which would tell Claude Code its context is empty.
 */
export function usageFromOllama(metrics: Readonly<Record<string, unknown>>, estimate: UsageEstimate): UsageFigures {
  const prompt = finiteNumber(metrics.prompt_eval_count);
  const completion = finiteNumber(metrics.eval_count);
  return {
    report: {
      inputTokens: prompt ?? estimate.inputTokens,
      outputTokens: completion ?? estimate.outputTokens,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      reported: prompt !== undefined || completion !== undefined,
    },
    thinkingTokens: null,
  };
}

/** `message_start` usage: the estimated prompt, no output yet; `message_delta` brings the real counts (§8.3). */
export function estimatedStartUsage(estimatedInputTokens: number): AnthropicUsage {
  return toAnthropicUsage({
    report: { inputTokens: estimatedInputTokens, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, reported: false },
    thinkingTokens: null,
  });
}

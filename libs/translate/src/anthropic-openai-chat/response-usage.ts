import type { AnthropicUsage, RawMessageDeltaEvent } from '@turnout/protocol';
import type { UsageReport } from '../translator';
import { finiteNumber, isRecord } from './response-json';

/** Usage in Anthropic terms plus the one detail UsageReport does not carry. */
export interface UsageFigures {
  readonly report: UsageReport;
  /** `completion_tokens_details.reasoning_tokens`, when reported (→ `output_tokens_details`). */
  readonly thinkingTokens: number | null;
}

/**
 * OpenAI `usage` → Anthropic figures with the cache split (protocol.md §7.6): Anthropic's
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

/**
 * Figures for an upstream that reported no usage. `output_tokens` is required by clients
 * (protocol.md §3.6 item 5) so it is always a number; input stays 0 because only the
 * count_tokens strategy (§6.1) knows the prompt size, and that is the gateway's business.
 */
export function estimatedUsage(outputTokens: number): UsageFigures {
  return {
    report: { inputTokens: 0, outputTokens, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, reported: false },
    thinkingTokens: null,
  };
}

/** Unary estimate: about four characters per token, as Ollama's own adapter estimates. */
export function estimateTokensFromText(characters: number): number {
  return Math.ceil(characters / 4);
}

/** The `Message.usage` object, every key present (the SDK type marks them all required). */
export function toAnthropicUsage(figures: UsageFigures): AnthropicUsage {
  const { report } = figures;
  return {
    input_tokens: report.inputTokens,
    cache_creation_input_tokens: report.cacheCreationInputTokens,
    cache_read_input_tokens: report.cacheReadInputTokens,
    // OpenAI reports no TTL split; 5 minutes is Anthropic's default cache TTL.
    cache_creation: { ephemeral_5m_input_tokens: report.cacheCreationInputTokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: report.outputTokens,
    output_tokens_details: figures.thinkingTokens === null ? null : { thinking_tokens: figures.thinkingTokens },
    server_tool_use: null,
    service_tier: null,
    inference_geo: null,
    speed: null,
  };
}

/**
 * `message_start` usage: output 0, input from a usage-bearing first chunk (vLLM
 * `continuous_usage_stats`) or 0. The authoritative totals follow in `message_delta`, which the
 * SDK lets overwrite these (protocol.md §3.3, §10 D1).
 */
export function startUsage(first: UsageFigures | undefined): AnthropicUsage {
  const zero = estimatedUsage(0);
  if (first === undefined) return toAnthropicUsage(zero);
  return toAnthropicUsage({ report: { ...first.report, outputTokens: 0 }, thinkingTokens: null });
}

/** `message_delta.usage`: cumulative totals; `output_tokens` always numeric (§3.6 item 5). */
export function toDeltaUsage(figures: UsageFigures): RawMessageDeltaEvent['usage'] {
  const { report } = figures;
  return {
    input_tokens: report.inputTokens,
    cache_creation_input_tokens: report.cacheCreationInputTokens,
    cache_read_input_tokens: report.cacheReadInputTokens,
    output_tokens: report.outputTokens,
    output_tokens_details: figures.thinkingTokens === null ? null : { thinking_tokens: figures.thinkingTokens },
    server_tool_use: null,
  };
}

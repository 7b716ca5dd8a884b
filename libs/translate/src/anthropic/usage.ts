import type { AnthropicUsage, RawMessageDeltaEvent } from '@turnout/protocol';
import type { UsageReport } from '../translator';

/** Usage in Anthropic terms plus the one detail UsageReport does not carry. */
export interface UsageFigures {
  readonly report: UsageReport;
  /** `completion_tokens_details.reasoning_tokens`, when reported (→ `output_tokens_details`). */
  readonly thinkingTokens: number | null;
}

/**
 * Figures for an upstream that reported no usage. `output_tokens` is required by clients
 * (docs/protocol.md §3.6 item 5) so it is always a number; input stays 0 because only the
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
 * SDK lets overwrite these (docs/protocol.md §3.3, §10 D1).
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

import type { AnthropicRequest } from '@turnout/protocol';
import type { CountTokensStrategy, ProviderKind } from '../kinds/provider-kind';
import type { UpstreamClient, UpstreamTarget } from '../upstream-client';
import type { CountingStrategy } from './counting-call';
import { llamaApplyTemplateTokenize } from './llama-tokenize.strategy';
import { upstreamCountTokens } from './upstream-count-tokens.strategy';
import { vllmTokenize } from './vllm-tokenize.strategy';

/** Per strategy: a slow tokenizer must not hold Claude Code's /context for long; the estimate is instant. */
export const COUNT_STRATEGY_BUDGET_MS = 5_000;

const STRATEGIES: Readonly<Record<CountTokensStrategy, CountingStrategy>> = Object.freeze({
  'anthropic-count-tokens': upstreamCountTokens,
  'llama-tokenize': llamaApplyTemplateTokenize,
  'vllm-tokenize': vllmTokenize,
});

export interface ExactTokenCount {
  readonly inputTokens: number;
  /** Stable short name of how it was counted: `upstream-count-tokens`, `llama-apply-template+tokenize`, `vllm-tokenize`. */
  readonly method: string;
}

/**
 * Counts a request's input tokens with the upstream's own tokenizer, trying the kind's
 * strategies in order; the first that answers wins. Undefined (never a throw) when none can
 * (404, unreachable, bad JSON, past the budget, or `signal` aborted), so the caller estimates.
 */
export async function countTokensExact(
  client: UpstreamClient,
  target: UpstreamTarget,
  kind: ProviderKind,
  request: AnthropicRequest,
  upstreamModel: string,
  signal: AbortSignal,
): Promise<ExactTokenCount | undefined> {
  for (const name of kind.countTokens) {
    if (signal.aborted) return undefined;
    const strategy = STRATEGIES[name];
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(COUNT_STRATEGY_BUDGET_MS)]);
    try {
      const inputTokens = await strategy.count({ client, target, kind, request, upstreamModel, signal: bounded });
      if (inputTokens !== undefined) return { inputTokens, method: strategy.method };
    } catch {
      // Strategies return undefined for every failure they know; anything else is ours. Try the next.
    }
  }
  return undefined;
}

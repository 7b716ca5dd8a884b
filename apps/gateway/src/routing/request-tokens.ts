import { applyHygiene } from '@turnout/hygiene';
import type { AnthropicRequest } from '@turnout/protocol';
import { countTokensExact, UpstreamClient } from '@turnout/providers';
import type { RouteDecision } from '@turnout/routing';
import { estimateInputTokens } from '@turnout/translate';
import type { GatewayEnv } from '../env/gateway-env';
import { upstreamTarget } from '../providers/upstream-target';
import { hygieneRulesFor } from '../providers/hygiene-rules';

/** How long a routing decision may wait for an upstream's exact count before using the estimate. */
const EXACT_COUNT_BUDGET_MS = 2_000;

export interface TokenCount {
  readonly tokens: number;
  readonly exact: boolean;
}

/**
 * One request's input-token counts, made at most once each: the local estimate, and per
 * provider the upstream's exact count (its own count_tokens or tokenizer, as sent after that
 * provider's hygiene) where it has one. Routing rules (`input_tokens_over`) and the
 * context-window check share them.
 */
export class RequestTokens {
  private estimated: number | undefined;
  private readonly exact = new Map<string, Promise<TokenCount>>();

  constructor(
    private readonly body: AnthropicRequest,
    private readonly upstream: UpstreamClient,
    private readonly env: GatewayEnv,
    private readonly signal: AbortSignal,
  ) {}

  estimate(): number {
    this.estimated ??= estimateInputTokens(this.body);
    return this.estimated;
  }

  /** The count `target`'s upstream would see: exact where it can count, else the estimate. */
  forTarget(target: RouteDecision): Promise<TokenCount> {
    let pending = this.exact.get(target.provider.id);
    if (!pending) {
      pending = this.countExactly(target);
      this.exact.set(target.provider.id, pending);
    }
    return pending;
  }

  private async countExactly(target: RouteDecision): Promise<TokenCount> {
    if (target.kind.countTokens.length === 0) return { tokens: this.estimate(), exact: false };
    const prepared = applyHygiene(this.body, hygieneRulesFor(target)).request;
    const signal = AbortSignal.any([this.signal, AbortSignal.timeout(EXACT_COUNT_BUDGET_MS)]);
    const counted = await countTokensExact(this.upstream, upstreamTarget(target.provider, target.kind, this.env.secrets), target.kind, prepared, target.upstreamModel, signal);
    return counted ? { tokens: counted.inputTokens, exact: true } : { tokens: this.estimate(), exact: false };
  }
}

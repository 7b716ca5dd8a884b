import type { BetaPolicy } from '@turnout/passthrough';
import type { AnthropicRequest } from '@turnout/protocol';
import type { RouteDecision } from '@turnout/routing';
import { SAFEGUARDS_BETA, synthesizedSafeguardResults, type SafeguardResult } from '@turnout/translate';

/**
 * Claude Code's auto-mode `safeguards` on the passthrough track (issue 16). With the provider's
 * `safeguards: synthesize` (every kind but `anthropic` by default) the field and its beta stay
 * here and Turnout answers with `safeguard_results` itself; with `passthrough` both go upstream.
 * The translation track always answers itself (`withSafeguardResults` in @turnout/translate).
 */
export function synthesizesSafeguards(target: RouteDecision): boolean {
  return target.mode === 'native' && target.provider.safeguards === 'synthesize';
}

/** The results the passthrough answer gets, or undefined (the upstream answers, or none were asked). */
export function passthroughSafeguardResults(target: RouteDecision, request: AnthropicRequest): readonly SafeguardResult[] | undefined {
  return synthesizesSafeguards(target) ? synthesizedSafeguardResults(request.safeguards) : undefined;
}

/** The provider's beta filter, plus the safeguards beta when Turnout answers for the upstream. */
export function betaPolicyFor(target: RouteDecision): BetaPolicy {
  const policy = target.provider.betas;
  return synthesizesSafeguards(target) ? { ...policy, deny: [...(policy.deny ?? []), SAFEGUARDS_BETA] } : policy;
}

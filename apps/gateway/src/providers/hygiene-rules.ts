import { LOCAL_HYGIENE, NO_HYGIENE, type HygieneRules } from '@turnout/hygiene';
import type { RouteDecision } from '@turnout/routing';
import { synthesizesSafeguards } from './safeguards-policy';

/**
 * A provider's request-hygiene rules: the kind's defaults (on for local servers; for the
 * Anthropic API only the rule that keeps other servers' thinking signatures away from it),
 * with the provider's config overrides on top.
 */
export function hygieneRulesFor(decision: RouteDecision): HygieneRules {
  const defaults = decision.kind.local ? LOCAL_HYGIENE : { ...NO_HYGIENE, dropForeignThinking: decision.kind.id === 'anthropic' };
  const rules = { ...defaults, ...decision.provider.hygiene };
  // Turnout answers `safeguards` itself on this passthrough: the upstream must not see it.
  return synthesizesSafeguards(decision) ? { ...rules, dropFields: [...rules.dropFields, 'safeguards'] } : rules;
}

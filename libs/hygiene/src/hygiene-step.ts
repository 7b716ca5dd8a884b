import type { AnthropicRequest } from '@turnout/protocol';
import type { HygieneRules } from './hygiene-rules';

/**
 * One rewrite. It returns the request it was given (same object) when it has nothing to do,
 * and otherwise a new request plus the name the rewrite is reported under.
 */
export interface HygieneStep {
  readonly enabled: (rules: HygieneRules) => boolean;
  readonly apply: (request: AnthropicRequest, rules: HygieneRules) => HygieneStepResult;
}

export type HygieneStepResult = { readonly request: AnthropicRequest; readonly rewrite: string } | undefined;

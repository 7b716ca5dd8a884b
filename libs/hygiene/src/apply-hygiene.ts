import type { AnthropicRequest } from '@turnout/protocol';
import { dropCacheControl } from './drop-cache-control';
import { dropEmptyText } from './drop-empty-text';
import { dropFields } from './drop-fields';
import { dropForeignThinking } from './drop-foreign-thinking';
import { foldSystemMessages } from './fold-system-messages';
import type { HygieneRules } from './hygiene-rules';
import type { HygieneStep } from './hygiene-step';
import { rewriteToolIdsMistral9 } from './mistral-tool-ids';
import { stripBillingHeader } from './strip-billing-header';

export interface HygieneResult {
  readonly request: AnthropicRequest;
  /** Names of the rewrites that changed something, each once, in the order they ran. */
  readonly rewrites: string[];
}

/**
 * The order matters:
 * 1. drop-fields: top-level only; the other rules then never look at a dropped field.
 * 2. strip-billing-header: before folding, so only Claude Code's own top-level block is
 *    matched, never text a leading system entry brings along.
 * 3. fold-system-messages: settles where every block lives before the per-block rules run.
 * 4. drop-foreign-thinking, then drop-empty-text: removing thinking can empty a turn, and
 *    empty text is judged on what remains.
 * 5. drop-cache-control: also covers the markers that folding moved.
 * 6. tool-ids-mistral9: last; ids are a wire concern and no other rule reads them.
 */
const STEPS: readonly HygieneStep[] = [
  { enabled: (rules) => rules.dropFields.length > 0, apply: (request, rules) => dropFields(request, rules.dropFields) },
  { enabled: (rules) => rules.stripBillingHeader, apply: stripBillingHeader },
  { enabled: (rules) => rules.foldSystemMessages, apply: foldSystemMessages },
  { enabled: (rules) => rules.dropForeignThinking, apply: dropForeignThinking },
  { enabled: (rules) => rules.dropForeignThinking, apply: dropEmptyText },
  { enabled: (rules) => rules.dropCacheControl, apply: dropCacheControl },
  { enabled: (rules) => rules.toolIdFormat === 'mistral9', apply: rewriteToolIdsMistral9 },
];

/**
 * Applies a provider's hygiene rules. Pure: the input is never mutated (unchanged parts are
 * shared). When no rule changed anything the very same `request` object comes back, which
 * tells the passthrough track it may forward the client's original bytes.
 */
export function applyHygiene(request: AnthropicRequest, rules: HygieneRules): HygieneResult {
  let current = request;
  const rewrites: string[] = [];
  for (const step of STEPS) {
    if (!step.enabled(rules)) continue;
    const result = step.apply(current, rules);
    if (result === undefined) continue;
    current = result.request;
    rewrites.push(result.rewrite);
  }
  return { request: current, rewrites };
}

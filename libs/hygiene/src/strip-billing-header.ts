import type { AnthropicRequest, TextBlockParam } from '@turnout/protocol';
import { HYGIENE_REWRITES } from './hygiene-rewrite';
import type { HygieneStepResult } from './hygiene-step';
import { withoutKey } from './without-key';

/**
 * Claude Code prepends a system text block `x-anthropic-billing-header: cc_version=…;
 * cc_entrypoint=…; [cch=…;]` (docs/protocol.md §5.3, §10 A3). It changes per conversation (and
 * `cch` per request), so on a local server it invalidates the whole prefix cache.
 */
export const BILLING_HEADER_PREFIX = 'x-anthropic-billing-header:';

const isBillingBlock = (block: TextBlockParam): boolean =>
  block.type === 'text' && typeof block.text === 'string' && block.text.startsWith(BILLING_HEADER_PREFIX);

/** Removes the billing block(s), or the billing line of a string system prompt. */
export function stripBillingHeader(request: AnthropicRequest): HygieneStepResult {
  const system = request.system;
  let next: AnthropicRequest['system'];
  if (typeof system === 'string') {
    if (!system.startsWith(BILLING_HEADER_PREFIX)) return undefined;
    const newline = system.indexOf('\n');
    next = newline === -1 ? '' : system.slice(newline + 1);
  } else if (Array.isArray(system)) {
    if (!system.some(isBillingBlock)) return undefined;
    next = system.filter((block) => !isBillingBlock(block));
  } else {
    return undefined;
  }
  const emptied = next.length === 0;
  return {
    request: emptied ? withoutKey(request, 'system') : { ...request, system: next },
    rewrite: HYGIENE_REWRITES.stripBillingHeader,
  };
}

import type { AnthropicRequest, ContentBlockParam, MessageParam } from '@turnout/protocol';
import { isAnthropicSignature } from './anthropic-signature';
import { HYGIENE_REWRITES } from './hygiene-rewrite';
import type { HygieneStepResult } from './hygiene-step';
import { withoutKey } from './without-key';

/**
 * For the Anthropic API (docs/protocol.md §10 B4): a conversation that was partly served by
 * another model carries thinking blocks Anthropic did not sign, and the API rejects them
 * (`Invalid signature in thinking block`). Those blocks are removed; `redacted_thinking`
 * only ever comes from Anthropic and is kept. Kept blocks are the same objects, so their
 * bytes reach Anthropic unchanged. An assistant turn left with no content is removed (the
 * API merges the neighbouring user turns).
 *
 * Removing the thinking that opened the final assistant turn would trigger `a final
 * assistant message must start with a thinking block` while thinking is on, so in that
 * case the request's `thinking` setting is removed as well (this turn only).
 */
export function dropForeignThinking(request: AnthropicRequest): HygieneStepResult {
  const out: MessageParam[] = [];
  let changed = false;
  for (const message of request.messages) {
    if (message.role !== 'assistant' || typeof message.content === 'string') {
      out.push(message);
      continue;
    }
    const kept = message.content.filter((block) => !isForeignThinking(block));
    if (kept.length === message.content.length) {
      out.push(message);
      continue;
    }
    changed = true;
    if (kept.length > 0) out.push({ ...message, content: kept });
  }
  if (!changed) return undefined;

  const next: AnthropicRequest = { ...request, messages: out };
  const lostOpeningThinking = startsWithThinking(finalAssistantTurn(request.messages)) && !startsWithThinking(finalAssistantTurn(out));
  const thinkingOn = request.thinking !== undefined && request.thinking.type !== 'disabled';
  return {
    request: lostOpeningThinking && thinkingOn ? withoutKey(next, 'thinking') : next,
    rewrite: HYGIENE_REWRITES.dropForeignThinking,
  };
}

function isForeignThinking(block: ContentBlockParam): boolean {
  return block.type === 'thinking' && !isAnthropicSignature(block.signature);
}

function finalAssistantTurn(messages: readonly MessageParam[]): MessageParam | undefined {
  return messages.findLast((message) => message.role === 'assistant');
}

function startsWithThinking(message: MessageParam | undefined): boolean {
  if (message === undefined || typeof message.content === 'string') return false;
  const first = message.content[0];
  return first?.type === 'thinking' || first?.type === 'redacted_thinking';
}

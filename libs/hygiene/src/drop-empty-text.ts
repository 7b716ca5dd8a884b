import type { AnthropicRequest, MessageParam } from '@turnout/protocol';
import { HYGIENE_REWRITES } from './hygiene-rewrite';
import type { HygieneStepResult } from './hygiene-step';

/**
 * For the Anthropic API (docs/protocol.md §10 D9): it rejects empty and whitespace-only text
 * blocks (`text content blocks must be non-empty`), which other servers' replies leave in
 * the history. Such blocks are removed from message content, and a message left with
 * nothing (or whose string content is blank) is removed. Text nested in tool results is
 * the client's own and is left alone.
 */
export function dropEmptyText(request: AnthropicRequest): HygieneStepResult {
  const out: MessageParam[] = [];
  for (const message of request.messages) {
    const cleaned = withoutBlankText(message);
    if (cleaned !== undefined) out.push(cleaned);
  }
  const changed = out.length !== request.messages.length || out.some((message, index) => message !== request.messages[index]);
  return changed ? { request: { ...request, messages: out }, rewrite: HYGIENE_REWRITES.dropEmptyText } : undefined;
}

/** The message without blank text blocks; `undefined` when nothing would be left. */
function withoutBlankText(message: MessageParam): MessageParam | undefined {
  if (typeof message.content === 'string') return isBlank(message.content) ? undefined : message;
  if (message.role === 'system') {
    const kept = keepNonBlank(message.content);
    return kept === message.content ? message : kept.length === 0 ? undefined : { ...message, content: kept };
  }
  const kept = keepNonBlank(message.content);
  return kept === message.content ? message : kept.length === 0 ? undefined : { ...message, content: kept };
}

function keepNonBlank<B extends { readonly type: string }>(blocks: B[]): B[] {
  const kept = blocks.filter((block) => !isBlankText(block));
  return kept.length === blocks.length ? blocks : kept;
}

function isBlankText(block: { readonly type: string }): boolean {
  return block.type === 'text' && 'text' in block && typeof block.text === 'string' && isBlank(block.text);
}

function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

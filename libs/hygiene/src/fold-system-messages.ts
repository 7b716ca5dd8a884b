import type { AnthropicRequest, ContentBlockParam, MessageParam, TextBlockParam, ToolResultBlockParam } from '@turnout/protocol';
import { HYGIENE_REWRITES } from './hygiene-rewrite';
import type { HygieneStepResult } from './hygiene-step';
import { withoutKey } from './without-key';

type SystemEntry = Extract<MessageParam, { role: 'system' }>;
type UserMessage = Extract<MessageParam, { role: 'user' }>;

/**
 * Places `role:"system"` entries of `messages` the way docs/protocol.md §7.3 step 2 prescribes
 * (vLLM's "fold" mode), because strict templates reject them mid-list:
 *
 * - a leading run (before any user/assistant turn) joins the top-level `system`;
 * - a later entry is appended to the preceding user turn; if that turn ends in tool results,
 *   to the last tool result's content instead (never a new user turn after tool results);
 * - after an assistant turn, it is put at the front of the next user turn, but after that
 *   turn's tool results (never between a `tool_use` and its result); when no user turn
 *   follows, it becomes a user turn of its own.
 *
 * Only the tail of the prompt changes, so a prefix cache keeps working. Text is moved as
 * blocks, unchanged (so `cache_control` moves with it); the entry's own extra keys (Claude
 * Code puts `output_config` there) are dropped with it. When appending made two user turns
 * adjacent, they are merged so roles still alternate.
 */
export function foldSystemMessages(request: AnthropicRequest): HygieneStepResult {
  const messages = request.messages;
  if (!messages.some(isSystemEntry)) return undefined;

  const out: MessageParam[] = [];
  const leading: TextBlockParam[] = [];
  let pending: TextBlockParam[] | undefined; // entries after an assistant turn, waiting for a user turn
  let mergeNextUser = false;

  for (const message of messages) {
    if (isSystemEntry(message)) {
      const blocks = systemEntryBlocks(message);
      const previous = out.at(-1);
      if (previous === undefined) leading.push(...blocks);
      else if (previous.role === 'user' && pending === undefined) {
        out[out.length - 1] = appendToUserTurn(previous, blocks);
        mergeNextUser = true;
      } else pending = [...(pending ?? []), ...blocks];
      continue;
    }
    if (message.role === 'user') {
      const user = pending === undefined ? message : prependToUserTurn(message, pending);
      pending = undefined;
      const previous = out.at(-1);
      if (mergeNextUser && previous?.role === 'user') {
        out[out.length - 1] = { ...previous, content: [...toBlocks(previous.content), ...toBlocks(user.content)] };
      } else out.push(user);
    } else {
      if (pending !== undefined) out.push({ role: 'user', content: pending });
      pending = undefined;
      out.push(message);
    }
    mergeNextUser = false;
  }
  if (pending !== undefined) out.push({ role: 'user', content: pending });

  const withMessages: AnthropicRequest = { ...request, messages: out };
  const system = leading.length === 0 ? request.system : joinSystem(request.system, leading);
  const folded = system === undefined || system.length === 0 ? withoutKey(withMessages, 'system') : { ...withMessages, system };
  return { request: folded, rewrite: HYGIENE_REWRITES.foldSystemMessages };
}

function isSystemEntry(message: MessageParam): message is SystemEntry {
  return message.role === 'system';
}

function systemEntryBlocks(entry: SystemEntry): TextBlockParam[] {
  return typeof entry.content === 'string' ? textBlocks(entry.content) : entry.content;
}

function toBlocks(content: string | ContentBlockParam[]): ContentBlockParam[] {
  return typeof content === 'string' ? textBlocks(content) : content;
}

/** String content as blocks; an empty string gives none (the API rejects empty text blocks). */
function textBlocks(text: string): TextBlockParam[] {
  return text.length === 0 ? [] : [{ type: 'text', text }];
}

/** Keeps the shape of the top-level prompt: a string stays a string (blank-line separated). */
function joinSystem(system: AnthropicRequest['system'], blocks: TextBlockParam[]): AnthropicRequest['system'] {
  if (typeof system === 'string') {
    return [system, ...blocks.map((block) => block.text)].filter((text) => text.length > 0).join('\n\n');
  }
  return [...(system ?? []), ...blocks];
}

function appendToUserTurn(message: UserMessage, blocks: TextBlockParam[]): UserMessage {
  const content = toBlocks(message.content);
  const last = content.at(-1);
  if (last?.type === 'tool_result') return { ...message, content: [...content.slice(0, -1), appendToToolResult(last, blocks)] };
  return { ...message, content: [...content, ...blocks] };
}

function prependToUserTurn(message: UserMessage, blocks: TextBlockParam[]): UserMessage {
  const content = toBlocks(message.content);
  const results = content.findIndex((block) => block.type !== 'tool_result');
  if (results === 0) return { ...message, content: [...blocks, ...content] };
  if (results === -1 && content.length > 0) return appendToUserTurn(message, blocks);
  if (results === -1) return { ...message, content: blocks };
  return { ...message, content: [...content.slice(0, results), ...blocks, ...content.slice(results)] };
}

function appendToToolResult(result: ToolResultBlockParam, blocks: TextBlockParam[]): ToolResultBlockParam {
  const content = result.content;
  const existing = content === undefined ? [] : typeof content === 'string' ? textBlocks(content) : content;
  return { ...result, content: [...existing, ...blocks] };
}

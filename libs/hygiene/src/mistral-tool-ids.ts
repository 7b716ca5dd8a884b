import { createHash } from 'node:crypto';
import type { AnthropicRequest, ContentBlockParam, MessageParam } from '@turnout/protocol';
import { HYGIENE_REWRITES } from './hygiene-rewrite';
import type { HygieneStepResult } from './hygiene-step';
import { mapIfChanged } from './map-if-changed';

/** Mistral chat templates reject any tool-call id that is not exactly this (docs/protocol.md §10 C6). */
export const MISTRAL_TOOL_ID = /^[a-zA-Z0-9]{9}$/;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Rewrites every `tool_use.id` and the matching `tool_result.tool_use_id` to 9 alphanumeric
 * characters derived from a hash of the original, so the same history maps the same way on
 * every turn. Ids that already fit are kept (Mistral's own ids come back like that).
 *
 * This is a request-side rule only: ids need to agree within one request, and the ids in
 * the model's reply are Mistral's own, already valid, so nothing is mapped back.
 */
export function rewriteToolIdsMistral9(request: AnthropicRequest): HygieneStepResult {
  const mapping = planMistralIds(collectToolIds(request.messages));
  if (mapping.size === 0) return undefined;
  const rename = (id: string): string => mapping.get(id) ?? id;
  const messages = mapIfChanged(request.messages, (message) => renameInMessage(message, rename));
  return { request: { ...request, messages }, rewrite: HYGIENE_REWRITES.toolIdsMistral9 };
}

/** The 9-character id for `original`; `attempt` > 0 re-hashes after a collision. */
export function mistralToolId(original: string, attempt = 0): string {
  const digest = createHash('sha256')
    .update(attempt === 0 ? original : `${original}\u0000${attempt}`)
    .digest();
  let id = '';
  for (let i = 0; i < 9; i += 1) id += ALPHABET[digest[i] % ALPHABET.length];
  return id;
}

/** Original → new id for every id that does not fit, never reusing an id of the request. */
function planMistralIds(ids: readonly string[]): Map<string, string> {
  const taken = new Set(ids.filter((id) => MISTRAL_TOOL_ID.test(id)));
  const mapping = new Map<string, string>();
  for (const id of ids) {
    if (taken.has(id) || mapping.has(id)) continue;
    let attempt = 0;
    let candidate = mistralToolId(id);
    while (taken.has(candidate)) candidate = mistralToolId(id, (attempt += 1));
    taken.add(candidate);
    mapping.set(id, candidate);
  }
  return mapping;
}

/** Tool ids in order of first appearance (uses and results), so collisions resolve the same way each turn. */
function collectToolIds(messages: readonly MessageParam[]): string[] {
  const ids = new Set<string>();
  for (const message of messages) {
    if (message.role === 'system' || typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type === 'tool_use') ids.add(block.id);
      else if (block.type === 'tool_result') ids.add(block.tool_use_id);
    }
  }
  return [...ids];
}

function renameInMessage(message: MessageParam, rename: (id: string) => string): MessageParam {
  if (message.role === 'system' || typeof message.content === 'string') return message;
  const content = mapIfChanged(message.content, (block) => renameInBlock(block, rename));
  return content === message.content ? message : { ...message, content };
}

function renameInBlock(block: ContentBlockParam, rename: (id: string) => string): ContentBlockParam {
  if (block.type === 'tool_use') {
    const id = rename(block.id);
    return id === block.id ? block : { ...block, id };
  }
  if (block.type === 'tool_result') {
    const toolUseId = rename(block.tool_use_id);
    return toolUseId === block.tool_use_id ? block : { ...block, tool_use_id: toolUseId };
  }
  return block;
}

import { isRecord, type JsonRecord, type OpenAiToolCall } from '@turnout/protocol';
import type { ToolNameMap } from '../tool-names';
import { userParts, type ImagePart, type PartsPolicy, type UserPart } from './content-parts';
import { invalidRequest, joinNonEmpty, recordsOf, requireString, stringOr } from './narrow';
import { placeSystemEntries, systemText } from './system-placement';
import { repairToolPairing } from './tool-pairing';
import { dropEmptyTurns, mergeAdjacent, userTurn, type ConversationItem, type ToolResultItem, type Turn } from './turns';

/**
 * Anthropic `system` + `messages` → system prompt + turns ready to render, following
 * docs/protocol.md §7.3: convert each message (steps 3-4), place `role:"system"` entries (step 2),
 * drop empty turns, merge same-role neighbours (step 5), repair tool pairing (step 6), then
 * merge again in case pairing emptied a turn. A final assistant turn stays last (prefill, step 8).
 */
export interface Conversation {
  readonly systemPrompt: string;
  readonly turns: readonly Turn[];
}

/**
 * What the target keeps, decided here because it changes the turns themselves (the rest is the
 * renderer's choice). The conversation is shared by the OpenAI Chat and Ollama translators.
 */
export interface ConversionPolicy extends PartsPolicy {
  /** Whether assistant thinking is kept as reasoning text (some servers cannot read it back). */
  readonly reasoning: boolean;
}

export function convertConversation(
  system: unknown,
  messages: readonly unknown[],
  toolNames: ToolNameMap,
  policy: ConversionPolicy,
): Conversation {
  const items = messages.map((message, i) => toConversationItem(message, `messages.${i}`, toolNames, policy));
  const placed = placeSystemEntries(systemText(system), items);
  const paired = repairToolPairing(mergeAdjacent(dropEmptyTurns(placed.turns)));
  return { systemPrompt: placed.systemPrompt, turns: mergeAdjacent(dropEmptyTurns(paired)) };
}

function toConversationItem(message: unknown, path: string, toolNames: ToolNameMap, policy: ConversionPolicy): ConversationItem {
  if (!isRecord(message)) throw invalidRequest(`${path}: Input should be an object`);
  switch (message.role) {
    case 'system':
      // Claude Code adds a per-message `output_config` here; it has no upstream meaning: dropped.
      return { role: 'system', text: systemText(message.content) };
    case 'user':
      return toUserTurn(blocksOf(message.content), `${path}.content`, policy);
    case 'assistant':
      return toAssistantTurn(blocksOf(message.content), `${path}.content`, toolNames, policy);
    default:
      throw invalidRequest(`${path}.role: Input should be 'user', 'assistant' or 'system'`);
  }
}

/** `content: "text"` is shorthand for one text block (§1.3). */
function blocksOf(content: unknown): readonly JsonRecord[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : recordsOf(content);
}

/** §7.3 step 3: tool results become tool messages (first, in order); the rest stays the user's. */
function toUserTurn(blocks: readonly JsonRecord[], path: string, policy: PartsPolicy): Turn {
  const toolResults: ToolResultItem[] = [];
  const parts: UserPart[] = [];
  blocks.forEach((block, j) => {
    if (block.type === 'tool_result') toolResults.push(toToolResult(block, `${path}.${j}`, policy));
    else parts.push(...userParts(block, `${path}.${j}`, policy));
  });
  return userTurn(toolResults, parts);
}

/**
 * One tool message per `tool_result` (§10 C2). String content as is; block content: text joined
 * with "\n" (the string form is the most portable: §7.3 step 3.1), images kept aside, documents
 * and search results inlined as text. OpenAI has no error flag, so `is_error:true` is rendered as
 * an "Error: " prefix: the model still learns the call failed, and the rule is deterministic.
 */
function toToolResult(block: JsonRecord, path: string, policy: PartsPolicy): ToolResultItem {
  const toolCallId = requireString(block, 'tool_use_id', path);
  const parts: readonly UserPart[] =
    typeof block.content === 'string'
      ? [{ type: 'text', text: block.content }]
      : recordsOf(block.content).flatMap((item, k) => userParts(item, `${path}.content.${k}`, policy));
  const images: ImagePart[] = [];
  const texts: string[] = [];
  for (const part of parts) {
    if (part.type === 'text') texts.push(part.text);
    else images.push(part);
  }
  const text = joinNonEmpty(texts, '\n');
  if (block.is_error !== true) return { toolCallId, text, images };
  return { toolCallId, text: text === '' ? 'Error' : `Error: ${text}`, images };
}

/**
 * §7.3 step 4: one assistant message. Thinking → reasoning text (concatenated; sent for every
 * turn, not only the active tool loop: the chat template knows which turns the model was trained
 * to see and drops the rest, e.g. Qwen3 keeps only turns after the last user query, and the
 * request stays a plain function of the history). redacted_thinking, server-tool blocks and
 * unknown blocks are dropped. Adjacent text blocks are concatenated as is; text separated by
 * other blocks is joined with "\n".
 */
function toAssistantTurn(blocks: readonly JsonRecord[], path: string, toolNames: ToolNameMap, policy: ConversionPolicy): Turn {
  let reasoning = '';
  let text = '';
  let previousType: unknown;
  const toolCalls: OpenAiToolCall[] = [];
  blocks.forEach((block, j) => {
    if (block.type === 'thinking') {
      const thinking = stringOr(block.thinking, '');
      // An empty block (display:"omitted" thinking) is absent, not a separator.
      if (thinking === '') return;
      if (policy.reasoning) reasoning = appendSegment(reasoning, thinking, previousType === 'thinking');
    } else if (block.type === 'text') {
      const segment = stringOr(block.text, '');
      if (segment === '') return;
      text = appendSegment(text, segment, previousType === 'text');
    } else if (block.type === 'tool_use') {
      toolCalls.push(toToolCall(block, `${path}.${j}`, toolNames));
    }
    previousType = block.type;
  });
  return { role: 'assistant', reasoning, text, toolCalls };
}

function appendSegment(accumulated: string, segment: string, adjacent: boolean): string {
  if (segment === '') return accumulated;
  if (accumulated === '') return segment;
  return adjacent ? accumulated + segment : `${accumulated}\n${segment}`;
}

/**
 * `arguments` is `JSON.stringify(input)`: key order as the client sent it, so the same history
 * renders the same prompt and the upstream's KV cache is reused (§10 C8). History names go
 * through the same shortening map as the tool definitions (§7.4).
 */
function toToolCall(block: JsonRecord, path: string, toolNames: ToolNameMap): OpenAiToolCall {
  return {
    id: requireString(block, 'id', path),
    type: 'function',
    function: {
      name: toolNames.toUpstream(requireString(block, 'name', path)),
      arguments: JSON.stringify(block.input ?? {}),
    },
  };
}

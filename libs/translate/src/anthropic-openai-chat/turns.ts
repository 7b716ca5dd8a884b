import type { OpenAiToolCall } from '@turnout/protocol';
import { textPart, type ImagePart, type UserPart } from './content-parts';
import { joinNonEmpty } from './narrow';

/**
 * The conversation between the two wire formats: Anthropic turns already converted block by
 * block, not yet split into OpenAI messages. Placement (system folding), merging and tool
 * pairing are decided on this form, where a user turn still knows which of its parts are tool
 * results; rendering to OpenAI messages is the last, mechanical step (render-messages.ts).
 */

/** One `tool_result`: becomes one `role:"tool"` message (never split: docs/protocol.md §10 C2). */
export interface ToolResultItem {
  readonly toolCallId: string;
  readonly text: string;
  /** Images inside the result; rendered in a user message right after the tool messages (§7.3 step 3.1). */
  readonly images: readonly ImagePart[];
}

export interface UserTurn {
  readonly role: 'user';
  readonly toolResults: readonly ToolResultItem[];
  /** The turn's own text/image parts, rendered after its tool messages. */
  readonly parts: readonly UserPart[];
}

export interface AssistantTurn {
  readonly role: 'assistant';
  readonly reasoning: string;
  readonly text: string;
  readonly toolCalls: readonly OpenAiToolCall[];
}

/** A `role:"system"` entry of `messages` (Claude Code ≥ 2.1.154), before placement. */
export interface SystemEntry {
  readonly role: 'system';
  readonly text: string;
}

export type Turn = UserTurn | AssistantTurn;
export type ConversationItem = Turn | SystemEntry;

export function userTurn(toolResults: readonly ToolResultItem[], parts: readonly UserPart[]): UserTurn {
  return { role: 'user', toolResults, parts };
}

export function isEmptyTurn(turn: Turn): boolean {
  return turn.role === 'user'
    ? turn.toolResults.length === 0 && turn.parts.length === 0
    : turn.reasoning === '' && turn.text === '' && turn.toolCalls.length === 0;
}

/**
 * Adjacent same-role turns become one, as the Anthropic API itself does (§1.3); local templates
 * often reject two user or two assistant messages in a row (§10 F3). A merged user turn keeps
 * every tool result first, so its rendering stays "tool messages, then user text" (§7.3 step 5).
 */
export function mergeAdjacent(turns: readonly Turn[]): Turn[] {
  const merged: Turn[] = [];
  for (const turn of turns) {
    const previous = merged.at(-1);
    if (previous?.role === 'user' && turn.role === 'user') {
      merged[merged.length - 1] = userTurn([...previous.toolResults, ...turn.toolResults], [...previous.parts, ...turn.parts]);
    } else if (previous?.role === 'assistant' && turn.role === 'assistant') {
      merged[merged.length - 1] = {
        role: 'assistant',
        reasoning: joinNonEmpty([previous.reasoning, turn.reasoning], '\n'),
        text: joinNonEmpty([previous.text, turn.text], '\n'),
        toolCalls: [...previous.toolCalls, ...turn.toolCalls],
      };
    } else {
      merged.push(turn);
    }
  }
  return merged;
}

export function dropEmptyTurns(turns: readonly Turn[]): Turn[] {
  return turns.filter((turn) => !isEmptyTurn(turn));
}

/**
 * Adds instruction text to a user turn without creating a user message right after tool results
 * (§7.3 step 2): it joins the turn's own parts when it has some (or no tool results at all),
 * otherwise the end of its last tool result.
 */
export function addTextToUserTurn(turn: UserTurn, text: string, where: 'start' | 'end'): UserTurn {
  if (turn.parts.length > 0 || turn.toolResults.length === 0) {
    const parts = where === 'start' ? [textPart(text), ...turn.parts] : [...turn.parts, textPart(text)];
    return userTurn(turn.toolResults, parts);
  }
  const last = turn.toolResults[turn.toolResults.length - 1];
  const extended: ToolResultItem = { ...last, text: joinNonEmpty([last.text, text], '\n\n') };
  return userTurn([...turn.toolResults.slice(0, -1), extended], turn.parts);
}

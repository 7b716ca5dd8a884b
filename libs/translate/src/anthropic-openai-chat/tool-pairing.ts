import type { OpenAiToolCall } from '@turnout/protocol';
import { userTurn, type ToolResultItem, type Turn, type UserTurn } from './turns';

/**
 * Tool content of a call that was never answered (the user interrupted, or a client trimmed the
 * history). The real API would reject such a history; OpenAI and strict templates (Mistral) do
 * too, so a placeholder result keeps the conversation valid (docs/protocol.md §7.3 step 6).
 */
export const MISSING_TOOL_RESULT = '[no result]';

/**
 * §7.3 step 6, on merged turns: every tool call of an assistant turn is answered by exactly one
 * tool message, in the very next turn. Results for the calls come first in the order the client
 * gave them, then a placeholder for each unanswered call, in call order. Results that answer no
 * call of the turn just before (orphans, duplicates) are dropped, with their images. An assistant
 * turn with tool calls at the very end gets placeholder results too, so it is no longer a prefill.
 */
export function repairToolPairing(turns: readonly Turn[]): Turn[] {
  const repaired: Turn[] = [];
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    if (turn.role === 'user') {
      // Not right after an assistant turn with calls (those are handled below): nothing to answer.
      repaired.push(turn.toolResults.length === 0 ? turn : userTurn([], turn.parts));
      continue;
    }
    repaired.push(turn);
    if (turn.toolCalls.length === 0) continue;
    const next = turns[i + 1];
    if (next?.role === 'user') {
      repaired.push(answerCalls(turn.toolCalls, next));
      i++;
    } else {
      repaired.push(answerCalls(turn.toolCalls, userTurn([], [])));
    }
  }
  return repaired;
}

function answerCalls(calls: readonly OpenAiToolCall[], turn: UserTurn): UserTurn {
  const expected = new Set(calls.map((call) => call.id));
  const answered = new Set<string>();
  const kept: ToolResultItem[] = [];
  for (const result of turn.toolResults) {
    if (!expected.has(result.toolCallId) || answered.has(result.toolCallId)) continue;
    answered.add(result.toolCallId);
    kept.push(result);
  }
  const missing = calls
    .filter((call, index) => !answered.has(call.id) && calls.findIndex((other) => other.id === call.id) === index)
    .map((call): ToolResultItem => ({ toolCallId: call.id, text: MISSING_TOOL_RESULT, images: [] }));
  return userTurn([...kept, ...missing], turn.parts);
}

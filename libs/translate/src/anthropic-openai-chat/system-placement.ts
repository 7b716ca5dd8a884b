import { textPart } from './content-parts';
import { joinNonEmpty, recordsOf, stringOr } from './narrow';
import { addTextToUserTurn, userTurn, type ConversationItem, type Turn } from './turns';

/**
 * Where system text goes (docs/protocol.md §7.2, §7.3 steps 1-2). Templates disagree on system
 * messages after the first one: Qwen3.5 and Mistral raise, gpt-oss and MiniMax drop them, vLLM
 * rejects "System message must be at the beginning" (§10 F1-F2). So the upstream gets exactly one
 * system message, first, and later system entries are folded into user text next to where they
 * stood. Hoisting them to the top would rewrite the head of the prompt on every turn and kill the
 * upstream's prefix cache; folding only touches the tail (vLLM's "fold" mode).
 */
export interface PlacedSystem {
  readonly systemPrompt: string;
  readonly turns: readonly Turn[];
}

/**
 * A `system` value (string or text blocks) as one string. Blocks are joined with "\n\n" where
 * llama.cpp and vLLM join with nothing and glue sentences together (§7.2). Non-text blocks give
 * nothing. Claude Code's billing block is kept: stripping it is a separate, switchable step.
 */
export function systemText(system: unknown): string {
  if (typeof system === 'string') return system;
  return joinNonEmpty(
    recordsOf(system).map((block) => (block.type === 'text' ? stringOr(block.text, '') : '')),
    '\n\n',
  );
}

/**
 * - The leading run of system entries (before any user/assistant turn) extends the system prompt.
 * - A later run (consecutive entries are joined with "\n\n") goes, in order of preference:
 *   1. to the end of the previous turn if it is a user turn;
 *   2. else to the start of the next turn if it is a user turn: this also covers an entry sitting
 *      between an assistant `tool_use` turn and its `tool_result` turn, which lands after the
 *      tool messages, never between them;
 *   3. else (between two assistant turns, or after the last one) into a user turn of its own.
 *   In 1 and 2, a user turn made only of tool results takes the text at the end of its last tool
 *   result, so no user message is created right after tool results (addTextToUserTurn).
 */
export function placeSystemEntries(topLevelSystem: string, items: readonly ConversationItem[]): PlacedSystem {
  let index = 0;
  const leading: string[] = [];
  for (; index < items.length; index++) {
    const item = items[index];
    if (item.role !== 'system') break;
    leading.push(item.text);
  }
  const systemPrompt = joinNonEmpty([topLevelSystem, ...leading], '\n\n');

  const turns: Turn[] = [];
  let carried = '';
  while (index < items.length) {
    const item = items[index];
    if (item.role !== 'system') {
      const withCarried = item.role === 'user' && carried !== '' ? addTextToUserTurn(item, carried, 'start') : item;
      turns.push(withCarried);
      carried = '';
      index++;
      continue;
    }
    const run: string[] = [];
    for (; index < items.length; index++) {
      const entry = items[index];
      if (entry.role !== 'system') break;
      run.push(entry.text);
    }
    const text = joinNonEmpty(run, '\n\n');
    if (text === '') continue;
    const previous = turns.at(-1);
    if (previous?.role === 'user') turns[turns.length - 1] = addTextToUserTurn(previous, text, 'end');
    else if (items[index]?.role === 'user') carried = text;
    else turns.push(userTurn([], [textPart(text)]));
  }
  return { systemPrompt, turns };
}

import type { AnthropicStop } from '../anthropic/stop-reason';

/**
 * Ollama `done_reason` → Anthropic stop (docs/protocol.md §8.2). Any tool call means `tool_use`:
 * Ollama says `stop` even when the model called tools. `length` → `max_tokens`; `stop`, the model
 * management reasons (`load`, `unload`) and anything unknown → `end_turn`. Ollama never says which
 * stop sequence matched, so `stop_sequence` stays null (its own adapter maps unknown reasons to
 * `stop_sequence`, which claims a match that may not have happened).
 */
export function stopFromDoneReason(doneReason: string | undefined, hasToolUse: boolean): AnthropicStop {
  if (hasToolUse) return { stopReason: 'tool_use', stopSequence: null };
  if (doneReason === 'length') return { stopReason: 'max_tokens', stopSequence: null };
  return { stopReason: 'end_turn', stopSequence: null };
}

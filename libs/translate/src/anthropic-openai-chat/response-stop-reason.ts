import type { StopReason } from '@turnout/protocol';
import type { AnthropicStop } from '../anthropic/stop-reason';

/** What decides the stop reason, gathered the same way by the unary and the streaming path. */
export interface StopFacts {
  /** OpenAI `finish_reason`; null when the upstream never sent one (e.g. `[DONE]` without it). */
  readonly finishReason: string | null;
  /** vLLM's `choices[].stop_reason`: the matched stop string, a token id, or null; undefined when the key is absent (llama.cpp). */
  readonly matchedStop: unknown;
  /** At least one `tool_use` block was produced. */
  readonly hasToolUse: boolean;
  /** The upstream sent `refusal` text. */
  readonly refused: boolean;
}

/**
 * docs/protocol.md §7.6 table. `tool_use` comes from the blocks actually produced, whatever the
 * finish reason: Ollama and some OpenAI-compatible servers say `stop` with tool calls (§2.4).
 * Conversely `tool_calls` without a single tool block maps to `end_turn`: a `tool_use` stop
 * with nothing to run leaves the client waiting for a tool result it cannot produce.
 */
export function toAnthropicStop(facts: StopFacts, stopSequences: readonly string[]): AnthropicStop {
  // Cut by the length limit, a tool call's arguments may be cut too: Anthropic says max_tokens
  // then, and a client that saw tool_use would run a tool with truncated input.
  if (facts.finishReason === 'length') return stop('max_tokens');
  if (facts.hasToolUse) return stop('tool_use');
  // content_filter is the closest thing to Anthropic's refusal; CCR's stop_sequence is wrong (§10 D10).
  if (facts.refused || facts.finishReason === 'content_filter') return stop('refusal');
  switch (facts.finishReason) {
    case 'stop':
      // Only a string the client asked for: vLLM also reports token ids, and a string the
      // client never sent would make `stop_sequence` claim a match that did not happen.
      if (typeof facts.matchedStop === 'string' && stopSequences.includes(facts.matchedStop)) {
        return { stopReason: 'stop_sequence', stopSequence: facts.matchedStop };
      }
      // llama.cpp's OpenAI endpoint has no `stop_reason` key at all (vLLM sends null for an
      // end of turn), so it never says which string matched. With a single one given, that
      // one is named; with several the match is unknown and end_turn stays (docs/compatibility.md).
      if (facts.matchedStop === undefined && stopSequences.length === 1) {
        return { stopReason: 'stop_sequence', stopSequence: stopSequences[0] as string };
      }
      return stop('end_turn');
    default:
      return stop('end_turn');
  }
}

/**
 * Which stop string matched, as far as the upstream says: vLLM's `choices[].stop_reason` (string,
 * token id or null), else llama.cpp's `__verbose` (asked with `verbose`): the `stopping_word` when
 * `stop_type` is `word`, null for any other stop type (end of turn, length). Undefined when the
 * upstream says nothing.
 */
export function matchedStopOf(choice: Readonly<Record<string, unknown>>, payload: Readonly<Record<string, unknown>>): unknown {
  if ('stop_reason' in choice) return choice.stop_reason;
  const verbose = payload.__verbose;
  if (typeof verbose !== 'object' || verbose === null) return undefined;
  const { stop_type: stopType, stopping_word: word } = verbose as Record<string, unknown>;
  if (typeof stopType !== 'string') return undefined;
  return stopType === 'word' && typeof word === 'string' ? word : null;
}

function stop(stopReason: StopReason): AnthropicStop {
  return { stopReason, stopSequence: null };
}

import type { ToolNameMap } from '../tool-names';

/**
 * What the request side learnt that the response side needs. The request translator builds it
 * from the client's request alone, so a retry or the next turn produces the same facts.
 */
export interface ResponseFacts {
  /** Restores tool names the request side shortened or replaced (docs/protocol.md §7.4, §10 C7). */
  readonly toolNames: ToolNameMap;
  /**
   * The client's `stop_sequences`. vLLM reports the matched one in `choices[].stop_reason`;
   * only a string found here becomes `stop_reason:"stop_sequence"` (docs/protocol.md §7.6).
   */
  readonly stopSequences: readonly string[];
}

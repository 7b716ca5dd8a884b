import type { ToolNameMap } from '../tool-names';

/**
 * What the request side knows that the response side needs, built from the client's request
 * alone, so a retry or the next turn produces the same facts.
 */
export interface OllamaResponseFacts {
  /** Restores tool names the request side shortened or replaced (docs/protocol.md §7.4, §10 C7). */
  readonly toolNames: ToolNameMap;
  /**
   * The prompt size estimated from the request (token-estimate.ts). Ollama reports the real
   * `prompt_eval_count` only on its last line, so `message_start` carries this estimate (§8.3,
   * §10 D1); it also stands in when Ollama leaves the count out.
   */
  readonly estimatedInputTokens: number;
}

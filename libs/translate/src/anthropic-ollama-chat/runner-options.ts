import type { AnthropicRequest, OllamaOptions } from '@turnout/protocol';
import { invalidRequest } from '../anthropic-openai-chat/narrow';

/**
 * Sampling and length go in Ollama's `options` (docs/protocol.md §8.1); omitted when empty, so the
 * Modelfile's defaults apply (temperature 0.8, top_p 0.9, top_k 40 unless it sets others).
 */
export function runnerOptions(request: AnthropicRequest, contextWindow: number | undefined): OllamaOptions | undefined {
  const { temperature, top_p: topP, top_k: topK } = request;
  const stop = Array.isArray(request.stop_sequences) ? request.stop_sequences.filter((s): s is string => typeof s === 'string') : [];
  const options: OllamaOptions = {
    ...numPredict(request.max_tokens),
    ...(typeof temperature === 'number' ? { temperature } : {}),
    ...(typeof topP === 'number' ? { top_p: topP } : {}),
    // Native Ollama reads top_k (only its OpenAI shim ignores it).
    ...(typeof topK === 'number' ? { top_k: topK } : {}),
    ...(stop.length > 0 ? { stop } : {}),
    ...numCtx(contextWindow),
  };
  return Object.keys(options).length > 0 ? options : undefined;
}

/**
 * `max_tokens` → `num_predict`. Absent (a count_tokens body) stays absent. 0 is Anthropic's
 * "generate nothing", which Ollama reads as "no limit": refused rather than sent (§1.2).
 */
function numPredict(maxTokens: unknown): OllamaOptions {
  if (typeof maxTokens !== 'number') return {};
  if (maxTokens <= 0) throw invalidRequest(`max_tokens: must be at least 1 for this upstream (got ${maxTokens})`);
  return { num_predict: maxTokens };
}

/**
 * `num_ctx` from the context window the gateway knows (TranslateContext.contextWindow). Without
 * it Ollama loads the model with OLLAMA_CONTEXT_LENGTH or a VRAM-based 4k/32k/256k default and
 * silently cuts longer prompts (Claude Code's system prompt alone is ~16k tokens). Anything but a
 * positive integer is not a window and leaves Ollama's default.
 */
function numCtx(contextWindow: number | undefined): OllamaOptions {
  return contextWindow !== undefined && Number.isSafeInteger(contextWindow) && contextWindow > 0 ? { num_ctx: contextWindow } : {};
}

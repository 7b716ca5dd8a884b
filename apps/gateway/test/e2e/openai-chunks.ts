/** Builders for OpenAI chat-completion stream frames, byte-compatible with llama-server's. */
export function chunkFrame(delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-e2e',
    object: 'chat.completion.chunk',
    created: 1763800000,
    model: 'upstream-model',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
    ...extra,
  })}\n\n`;
}

export function usageFrame(prompt: number, completion: number, cached = 0): string {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-e2e',
    object: 'chat.completion.chunk',
    created: 1763800000,
    model: 'upstream-model',
    choices: [],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } },
  })}\n\n`;
}

export const DONE_FRAME = 'data: [DONE]\n\n';

export function completion(message: Record<string, unknown>, finishReason: string, prompt = 10, completionTokens = 5): Record<string, unknown> {
  return {
    id: 'chatcmpl-e2e',
    object: 'chat.completion',
    created: 1763800000,
    model: 'upstream-model',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason }],
    usage: { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens },
  };
}

import type { OllamaChatStreamLine } from '@turnout/protocol';
import { estimateInputTokens } from '../token-estimate';
import type { Translator } from '../translator';
import { mapUpstreamHttpError } from '../upstream-errors';
import { decodeOllamaChatBatches } from './decode';
import { toOllamaChatRequest } from './request';
import { fromOllamaChatResponse } from './response';
import type { OllamaResponseFacts } from './response-facts';
import { createOllamaChatToAnthropicStream } from './stream';

/**
 * Anthropic Messages in, Ollama's native `/api/chat` out (docs/protocol.md §8): for Ollama versions
 * without `/v1/messages`, or where a provider asks for it to get `num_ctx`, `think` levels and
 * `format`. Upstream HTTP errors (`{"error":"…"}` with 400/404/500…) go through the shared rule
 * table: a missing model is a 404 naming it, "does not support tools|thinking" a 400 (§8.4).
 */
export const anthropicToOllamaChat: Translator<OllamaChatStreamLine> = {
  id: 'anthropic-messages->ollama-chat',
  upstreamProtocol: 'ollama-chat',
  begin(request, context) {
    const translated = toOllamaChatRequest(request, context);
    const facts: OllamaResponseFacts = { toolNames: translated.toolNames, estimatedInputTokens: estimateInputTokens(request) };
    return {
      upstreamBody: translated.body,
      fromResponse: (json: unknown) => fromOllamaChatResponse(json, context, facts),
      decode: decodeOllamaChatBatches,
      createStream: () => createOllamaChatToAnthropicStream(context, facts),
    };
  },
  error: mapUpstreamHttpError,
};
Object.freeze(anthropicToOllamaChat);

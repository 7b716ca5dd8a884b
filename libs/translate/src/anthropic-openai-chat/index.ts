import type { Translator } from '../translator';
import { mapUpstreamHttpError } from '../upstream-errors';
import { decodeOpenAiChatBatches, type OpenAiStreamItem } from './decode';
import { toOpenAiChatRequest } from './request';
import { fromOpenAiChatCompletion } from './response';
import type { ResponseFacts } from './response-facts';
import { createOpenAiChatToAnthropicStream } from './stream';

/**
 * Anthropic Messages in, OpenAI Chat Completions out (docs/protocol.md §7). The request side
 * learns what the response side needs (shortened tool names, stop sequences) and hands it
 * over as ResponseFacts, inside one per-request exchange.
 */
export const anthropicToOpenAiChat: Translator<OpenAiStreamItem> = {
  id: 'anthropic-messages->openai-chat',
  upstreamProtocol: 'openai-chat',
  begin(request, context) {
    const translated = toOpenAiChatRequest(request, context);
    const facts: ResponseFacts = { toolNames: translated.toolNames, stopSequences: translated.stopSequences };
    return {
      upstreamBody: translated.body,
      fromResponse: (json: unknown) => fromOpenAiChatCompletion(json, context, facts),
      decode: decodeOpenAiChatBatches,
      createStream: () => createOpenAiChatToAnthropicStream(context, facts),
    };
  },
  error: mapUpstreamHttpError,
};
Object.freeze(anthropicToOpenAiChat);

export type { OpenAiStreamItem } from './decode';

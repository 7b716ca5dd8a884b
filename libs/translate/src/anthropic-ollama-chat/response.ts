import { isRecord, type ContentBlock } from '@turnout/protocol';
import type { TranslateContext, TranslatedResponse } from '../translator';
import { nonEmptyString, protocolError, upstreamReportedError } from '../anthropic-openai-chat/response-json';
import { anthropicMessage, textBlock, thinkingBlock, toolUseBlock } from '../anthropic/content-blocks';
import { ToolUseIds } from '../anthropic/tool-use-ids';
import { estimateTokensFromText, toAnthropicUsage } from '../anthropic/usage';
import type { OllamaResponseFacts } from './response-facts';
import { outputCharacters, readMessageParts } from './response-message-parts';
import { stopFromDoneReason } from './response-stop-reason';
import { usageFromOllama } from './response-usage';

/**
 * A non-streaming Ollama `/api/chat` body (parsed JSON, untrusted) → an Anthropic Message
 * (docs/protocol.md §8.2). Content order is thinking → text → tool_use: clients drop thinking that
 * follows other blocks (§10 B2). Throws GatewayError: GW_UPSTREAM_ERROR for an `{"error":…}`
 * body, GW_UPSTREAM_PROTOCOL for anything that is not a chat response.
 */
export function fromOllamaChatResponse(json: unknown, context: TranslateContext, facts: OllamaResponseFacts): TranslatedResponse {
  if (!isRecord(json)) throw protocolError('The upstream response is not a JSON object');
  if (json.error !== undefined && json.error !== null) throw upstreamReportedError(json.error);
  if (!isRecord(json.message)) throw protocolError('The upstream response has no message');
  const parts = readMessageParts(json.message);

  // Drawn before any tool id, as the stream draws it at message_start: both paths consume newId alike.
  const id = context.newId('msg');
  const content: ContentBlock[] = [];
  if (parts.thinking !== '') content.push(thinkingBlock(parts.thinking));
  // Whitespace-only text is dropped: Anthropic rejects empty-looking text when the history is replayed there (§10 D9).
  if (parts.content.trim() !== '') content.push(textBlock(parts.content));
  const ids = new ToolUseIds(context.newId);
  for (const call of parts.toolCalls) {
    content.push(toolUseBlock(ids.assign(call.id), facts.toolNames.toClient(call.name ?? ''), call.input));
  }

  const stop = stopFromDoneReason(nonEmptyString(json.done_reason), parts.toolCalls.length > 0);
  const usage = usageFromOllama(json, {
    inputTokens: facts.estimatedInputTokens,
    outputTokens: estimateTokensFromText(outputCharacters(parts)),
  });
  return {
    body: anthropicMessage({ id, model: context.requestedModel, content, stop, usage: toAnthropicUsage(usage) }),
    usage: usage.report,
  };
}

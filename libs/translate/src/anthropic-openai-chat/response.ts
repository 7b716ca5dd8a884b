import { isRecord, type ContentBlock } from '@turnout/protocol';
import type { TranslateContext, TranslatedResponse } from '../translator';
import type { ResponseFacts } from './response-facts';
import { nonEmptyString, optionalString, primaryChoice, protocolError, reasoningText, toolCallRecords, upstreamReportedError } from './response-json';
import { anthropicMessage, textBlock, thinkingBlock, toolUseBlock } from '../anthropic/content-blocks';
import { matchedStopOf, toAnthropicStop } from './response-stop-reason';
import { salvageToolArguments } from '../anthropic/tool-arguments';
import { clientToolName, ToolUseIds } from '../anthropic/tool-use-ids';
import { estimatedUsage, estimateTokensFromText, toAnthropicUsage } from '../anthropic/usage';
import { usageFromOpenAi } from './response-usage';

/**
 * A non-streaming OpenAI Chat Completion (parsed JSON, untrusted) → an Anthropic Message
 * (docs/protocol.md §7.6). Content order is thinking → text → tool_use: clients drop thinking that
 * follows other blocks (§2.2, §10 B2). Throws GatewayError: GW_UPSTREAM_ERROR for an `error`
 * body, GW_UPSTREAM_PROTOCOL for anything that is not a completion.
 */
export function fromOpenAiChatCompletion(json: unknown, context: TranslateContext, facts: ResponseFacts): TranslatedResponse {
  if (!isRecord(json)) throw protocolError('The upstream response is not a JSON object');
  if (json.error !== undefined && json.error !== null) throw upstreamReportedError(json.error);
  const choice = primaryChoice(json.choices);
  if (choice === undefined) throw protocolError('The upstream response has no choices');
  const message = choice.message;
  if (!isRecord(message)) throw protocolError('The upstream choice has no message');

  // The message id is drawn first, as the stream draws it at message_start, so that both paths
  // consume the injected newId in the same order (tool ids follow, in block order).
  const id = context.newId('msg');
  const content: ContentBlock[] = [];
  let characters = 0;

  const reasoning = reasoningText(message);
  if (reasoning !== undefined) {
    content.push(thinkingBlock(reasoning));
    characters += reasoning.length;
  }

  const refusal = nonEmptyString(message.refusal);
  const text = optionalString(message.content, 'content') + (refusal ?? '');
  // Whitespace-only text is dropped: an empty-looking block poisons the history if the
  // conversation is later sent to Anthropic, which rejects empty text (§10 D9).
  if (text.trim() !== '') content.push(textBlock(text));
  characters += text.length;

  const ids = new ToolUseIds(context.newId);
  for (const call of toolCalls(message.tool_calls)) {
    content.push(toolUseBlock(ids.assign(call.id), clientToolName(call.name, facts), salvageToolArguments(call.arguments).input));
    characters += call.arguments.length;
  }

  const stop = toAnthropicStop(
    {
      finishReason: nonEmptyString(choice.finish_reason) ?? null,
      matchedStop: matchedStopOf(choice, json),
      hasToolUse: content.some((block) => block.type === 'tool_use'),
      refused: refusal !== undefined,
    },
    facts.stopSequences,
  );
  const usage = usageFromOpenAi(json.usage) ?? estimatedUsage(estimateTokensFromText(characters));
  return {
    body: anthropicMessage({ id, model: context.requestedModel, content, stop, usage: toAnthropicUsage(usage) }),
    usage: usage.report,
  };
}

interface UpstreamToolCall {
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly arguments: string;
}

function toolCalls(value: unknown): UpstreamToolCall[] {
  return toolCallRecords(value).map(({ call, fn }) => ({
    id: nonEmptyString(call.id),
    name: nonEmptyString(fn.name),
    // Some servers put the object itself here; its JSON text is what it stands for.
    arguments: typeof fn.arguments === 'string' ? fn.arguments : isRecord(fn.arguments) ? JSON.stringify(fn.arguments) : '',
  }));
}

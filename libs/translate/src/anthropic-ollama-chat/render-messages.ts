import { GatewayError } from '@turnout/errors';
import { isRecord, type OllamaAssistantMessage, type OllamaChatMessage, type OllamaToolCall, type OpenAiToolCall } from '@turnout/protocol';
import type { ImagePart } from '../anthropic-openai-chat/content-parts';
import type { Conversation } from '../anthropic-openai-chat/message-conversion';
import type { AssistantTurn, UserTurn } from '../anthropic-openai-chat/turns';

/**
 * Turns → Ollama `/api/chat` messages (docs/protocol.md §8.1). Placement, merging and pairing were
 * settled on the turns; this step only chooses Ollama's shapes: `content` is always a string,
 * images ride on their message as raw base64, reasoning goes in `thinking`, tool-call
 * arguments are objects.
 */
export function renderOllamaMessages(conversation: Conversation): OllamaChatMessage[] {
  const { systemPrompt, turns } = conversation;
  const messages: OllamaChatMessage[] = systemPrompt === '' ? [] : [{ role: 'system', content: systemPrompt }];
  // Tool results answer the calls of the assistant turn just before them (pairing guarantees it).
  let callNames = new Map<string, string>();
  for (const turn of turns) {
    if (turn.role === 'user') {
      messages.push(...renderUserTurn(turn, callNames));
    } else {
      messages.push(renderAssistantTurn(turn));
      callNames = new Map(turn.toolCalls.map((call) => [call.id, call.function.name]));
    }
  }
  return messages;
}

/**
 * Tool messages first, one per result, each with the name of the tool it answers (Ollama's docs
 * ask for `tool_name`; templates print it) and its own images (Ollama's adapter supports them
 * there); then one user message. The user's text parts are joined with a blank line, the
 * separator the system prompt and folded system entries use too.
 */
function renderUserTurn(turn: UserTurn, callNames: ReadonlyMap<string, string>): OllamaChatMessage[] {
  const messages: OllamaChatMessage[] = turn.toolResults.map((result) => ({
    role: 'tool',
    content: result.text,
    tool_call_id: result.toolCallId,
    // Always found after pairing repair; '' rather than a guess if that ever changes.
    tool_name: callNames.get(result.toolCallId) ?? '',
    ...images(result.images),
  }));
  if (turn.parts.length === 0) return messages;
  const texts = turn.parts.flatMap((part) => (part.type === 'text' ? [part.text] : []));
  const imageParts = turn.parts.filter((part): part is ImagePart => part.type === 'image');
  messages.push({ role: 'user', content: texts.join('\n\n'), ...images(imageParts) });
  return messages;
}

function images(parts: readonly ImagePart[]): { images?: string[] } {
  return parts.length === 0 ? {} : { images: parts.map(rawBase64) };
}

/** Raw base64, no `data:` prefix (§8.1). URL sources were refused during conversion for this target. */
function rawBase64(part: ImagePart): string {
  if (part.source.kind !== 'base64') {
    throw new GatewayError('GW_INTERNAL', { message: 'an image URL reached the Ollama renderer' });
  }
  return part.source.data;
}

/**
 * `content` is the text (`""` when there is none: Ollama's content is a plain string); reasoning
 * goes in `thinking`, concatenated (Ollama's own adapter keeps only the last block); `tool_calls`
 * only when non-empty (§10 F3).
 */
function renderAssistantTurn(turn: AssistantTurn): OllamaAssistantMessage {
  const message: OllamaAssistantMessage = { role: 'assistant', content: turn.text };
  if (turn.reasoning !== '') message.thinking = turn.reasoning;
  if (turn.toolCalls.length > 0) message.tool_calls = turn.toolCalls.map(toOllamaToolCall);
  return message;
}

/**
 * The conversation keeps calls with `arguments` serialised (`JSON.stringify(input)`, in the
 * client's key order); parsing that text rebuilds the object with the same key order, which is
 * what keeps Ollama's prompt, and so its KV cache, stable across turns (ollama commit ac83ac20c).
 * Anthropic's `input` is always an object; anything else becomes `{}` (Ollama decodes a map).
 */
function toOllamaToolCall(call: OpenAiToolCall): OllamaToolCall {
  const parsed: unknown = JSON.parse(call.function.arguments);
  const args = isRecord(parsed) ? (parsed as Record<string, unknown>) : {};
  return { id: call.id, function: { name: call.function.name, arguments: args } };
}

import type { Dialect, OpenAiAssistantMessage, OpenAiChatMessage, OpenAiContentPart } from '@turnout/protocol';
import type { ImagePart, UserPart } from './content-parts';
import type { AssistantTurn, Turn, UserTurn } from './turns';

/**
 * Turns → OpenAI Chat messages (docs/protocol.md §7.1, §7.3). Placement, merging and pairing were
 * settled on the turns; this step only chooses shapes.
 */
export function renderMessages(systemPrompt: string, turns: readonly Turn[], dialect: Dialect): OpenAiChatMessage[] {
  const messages: OpenAiChatMessage[] = systemPrompt === '' ? [] : [{ role: 'system', content: systemPrompt }];
  for (const turn of turns) {
    if (turn.role === 'user') messages.push(...renderUserTurn(turn));
    else messages.push(renderAssistantTurn(turn, dialect));
  }
  return messages;
}

/**
 * Tool messages first, one per result, in order; then one user message. Images from tool results
 * lead that user message: only some servers take image parts in a tool message (llama.cpp does),
 * a user message right after the tool messages works everywhere (vLLM's approach, §7.3 step 3.1).
 */
function renderUserTurn(turn: UserTurn): OpenAiChatMessage[] {
  const messages: OpenAiChatMessage[] = turn.toolResults.map((result) => ({
    role: 'tool',
    tool_call_id: result.toolCallId,
    content: result.text,
  }));
  const parts: UserPart[] = [...turn.toolResults.flatMap((result) => result.images), ...turn.parts];
  if (parts.length > 0) messages.push({ role: 'user', content: userContent(parts) });
  return messages;
}

/** A lone text part is sent as a plain string, the form every template renders; else parts. */
function userContent(parts: readonly UserPart[]): string | OpenAiContentPart[] {
  const [first] = parts;
  if (parts.length === 1 && first.type === 'text') return first.text;
  return parts.map((part) => (part.type === 'text' ? part : imageUrlPart(part)));
}

/** base64 → a `data:` URL (every OpenAI-compatible server reads it); a URL as is, for the server to fetch. */
function imageUrlPart(part: ImagePart): OpenAiContentPart {
  const { source } = part;
  const url = source.kind === 'base64' ? `data:${source.mediaType};base64,${source.data}` : source.url;
  return { type: 'image_url', image_url: { url } };
}

/**
 * `content` is the text; with only tool calls it is the dialect's placeholder (`null` for OpenAI
 * and vLLM, `""` for llama.cpp templates that index it as a string); a reasoning-only turn gets
 * `""`. Reasoning goes in the field the server reads (§7.5, §10 B6). `tool_calls` only when
 * non-empty: `tool_calls: []` breaks some templates (§10 F3).
 */
function renderAssistantTurn(turn: AssistantTurn, dialect: Dialect): OpenAiAssistantMessage {
  const hasCalls = turn.toolCalls.length > 0;
  const message: OpenAiAssistantMessage = {
    role: 'assistant',
    content: turn.text !== '' ? turn.text : hasCalls ? dialect.toolOnlyAssistantContent : '',
  };
  if (turn.reasoning !== '' && dialect.reasoningInputField !== 'none') {
    message[dialect.reasoningInputField] = turn.reasoning;
  }
  if (hasCalls) message.tool_calls = [...turn.toolCalls];
  return message;
}

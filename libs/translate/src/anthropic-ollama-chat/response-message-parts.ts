import { finiteNumber, nonEmptyString, optionalString, toolCallRecords } from '../anthropic-openai-chat/response-json';
import { isRecord } from '@turnout/protocol';
import { salvageToolArguments } from '../anthropic/tool-arguments';

/**
 * The `message` of an Ollama response or stream line (docs/protocol.md §8.2, §8.3), read from
 * untrusted JSON the same way for the unary body and each stream line: the wire types say what
 * Ollama sends, this checks what arrived. A field of the wrong type is GW_UPSTREAM_PROTOCOL.
 */
export interface OllamaMessageParts {
  readonly thinking: string;
  readonly content: string;
  readonly toolCalls: readonly OllamaCall[];
}

/** One complete tool call: Ollama never sends fragments (§8.3). */
export interface OllamaCall {
  readonly id: string | undefined;
  /** `function.index`: the call's position in the response, where Ollama sets it. */
  readonly position: number | undefined;
  readonly name: string | undefined;
  readonly input: Record<string, unknown>;
}

export function readMessageParts(message: Readonly<Record<string, unknown>>): OllamaMessageParts {
  return {
    thinking: optionalString(message.thinking, 'thinking'),
    content: optionalString(message.content, 'content'),
    toolCalls: readToolCalls(message.tool_calls),
  };
}

/**
 * Output characters, for the usage estimate when Ollama reports no `eval_count`: the unary and
 * the streaming path count the same text, so both estimate the same figure (about 4 per token).
 */
export function outputCharacters(parts: OllamaMessageParts): number {
  return parts.thinking.length + parts.content.length + parts.toolCalls.reduce((sum, call) => sum + JSON.stringify(call.input).length, 0);
}

function readToolCalls(value: unknown): OllamaCall[] {
  return toolCallRecords(value).map(({ call, fn }) => ({
    id: nonEmptyString(call.id),
    position: finiteNumber(fn.index),
    name: nonEmptyString(fn.name),
    input: toolInput(fn.arguments),
  }));
}

/**
 * Ollama's arguments are an object; key order is kept as received. A string (a server that
 * serialises them OpenAI-style) goes through the shared salvage policy; anything else is `{}`.
 */
function toolInput(args: unknown): Record<string, unknown> {
  if (isRecord(args)) return args as Record<string, unknown>;
  if (typeof args === 'string') return salvageToolArguments(args).input;
  return {};
}

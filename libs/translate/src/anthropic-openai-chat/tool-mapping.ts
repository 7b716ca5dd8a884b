import { isRecord, type JsonRecord, type OpenAiToolChoice } from '@turnout/protocol';
import type { ToolNameMap } from '../tool-names';
import { invalidRequest, recordsOf } from './narrow';

/** A tool in the OpenAI function shape, which Ollama's `/api/chat` uses too (docs/protocol.md §8.1). */
export interface FunctionTool {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description?: string; readonly parameters: Record<string, unknown> };
}

/**
 * Tool definitions and `tool_choice` (docs/protocol.md §1.5, §7.4).
 *
 * A tool is translated when it is a custom (client) tool: no `type` or `type:"custom"`, and an
 * `input_schema` object. Only `name`, `description` and the schema are carried over; the
 * Anthropic-only keys (`cache_control`, `defer_loading`, `input_examples`, `eager_input_streaming`,
 * `allowed_callers`, `type`, and any key added later) are dropped. `strict` is dropped too: OpenAI's
 * strict mode 400s on schemas without `additionalProperties:false` and all keys required.
 * Server tools (versioned `type`: `web_search_20250305`, `bash_20250124`, `text_editor_*` …) run on
 * Anthropic's side or need a schema the client never sends: dropped.
 */
export function mapTools(tools: unknown, toolNames: ToolNameMap): FunctionTool[] {
  return recordsOf(tools).filter(isCustomTool).map((tool) => toFunctionTool(tool, toolNames));
}

function isCustomTool(tool: JsonRecord): boolean {
  const customType = tool.type === undefined || tool.type === null || tool.type === 'custom';
  return customType && typeof tool.name === 'string' && isRecord(tool.input_schema);
}

function toFunctionTool(tool: JsonRecord, toolNames: ToolNameMap): FunctionTool {
  const name = toolNames.toUpstream(String(tool.name));
  // Shared, not copied (Claude Code sends ~60 KB of schemas per turn): translators treat the
  // client's request as immutable, and the specs deep-freeze it to hold them to that.
  const parameters = tool.input_schema as Record<string, unknown>;
  const description = typeof tool.description === 'string' && tool.description !== '' ? { description: tool.description } : {};
  return { type: 'function', function: { name, ...description, parameters } };
}

export interface ToolChoiceFields {
  readonly tool_choice?: OpenAiToolChoice;
  readonly parallel_tool_calls?: boolean;
}

/**
 * §7.4 table: auto → "auto", any → "required" (never the literal "any": §10 C12), tool → named
 * function, none → "none"; `disable_parallel_tool_use:true` → `parallel_tool_calls:false`.
 * Absent stays absent. Nothing at all without tools: OpenAI 400s on `tool_choice` without `tools`.
 */
export function mapToolChoice(toolChoice: unknown, tools: readonly FunctionTool[], toolNames: ToolNameMap): ToolChoiceFields {
  if (tools.length === 0 || !isRecord(toolChoice)) return {};
  const parallel = toolChoice.disable_parallel_tool_use === true ? { parallel_tool_calls: false } : {};
  switch (toolChoice.type) {
    case 'auto':
      return { tool_choice: 'auto', ...parallel };
    case 'any':
      return { tool_choice: 'required', ...parallel };
    case 'none':
      return { tool_choice: 'none' };
    case 'tool':
      return { tool_choice: { type: 'function', function: { name: chosenToolName(toolChoice, tools, toolNames) } }, ...parallel };
    default:
      // A tool_choice type newer than this table: the upstream's default (auto) is the safe reading.
      return {};
  }
}

/**
 * The upstream name of the tool a `{type:"tool", name}` choice names. Naming a tool that is not
 * among the translated ones is the client's error (Anthropic 400s too).
 */
export function chosenToolName(toolChoice: JsonRecord, tools: readonly FunctionTool[], toolNames: ToolNameMap): string {
  if (typeof toolChoice.name !== 'string') throw invalidRequest('tool_choice.name: Field required');
  const name = toolNames.toUpstream(toolChoice.name);
  if (!tools.some((tool) => tool.function.name === name)) {
    throw invalidRequest(`tool_choice.name: ${JSON.stringify(toolChoice.name)} is not one of the request's custom tools`);
  }
  return name;
}

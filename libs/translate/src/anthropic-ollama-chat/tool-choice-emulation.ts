import { isRecord } from '@turnout/protocol';
import { chosenToolName, type FunctionTool } from '../anthropic-openai-chat/tool-mapping';
import type { ToolNameMap } from '../tool-names';

/**
 * Ollama has no `tool_choice` (docs/protocol.md §7.4, §8.1), so it is emulated with the tool list:
 * `none` → no tools at all; `{type:"tool",name}` → only that tool (the model can still answer in
 * text, but it can call nothing else); `auto`, `any` and newer types → every tool (`any` cannot
 * be forced). `disable_parallel_tool_use` has no Ollama equivalent and is not honoured.
 */
export function emulateToolChoice(tools: readonly FunctionTool[], toolChoice: unknown, toolNames: ToolNameMap): FunctionTool[] {
  if (tools.length === 0 || !isRecord(toolChoice)) return [...tools];
  switch (toolChoice.type) {
    case 'none':
      return [];
    case 'tool': {
      const name = chosenToolName(toolChoice, tools, toolNames);
      return tools.filter((tool) => tool.function.name === name);
    }
    default:
      return [...tools];
  }
}

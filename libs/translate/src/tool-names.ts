import { createHash } from 'node:crypto';

/**
 * Reversible tool-name shortening. OpenAI-style servers cap function names (64 chars) and
 * reject empty ones; Anthropic allows 128 (docs/protocol.md §7.4, §10 C7). Names over the cap become
 * a prefix + `_` + 8 hex chars of their SHA-256 (LiteLLM's scheme), an empty name becomes a
 * placeholder, and responses map names back. Built from the request's tool list alone, so the
 * same request always yields the same mapping (retries and the next turn agree).
 */
export interface ToolNameMap {
  toUpstream(clientName: string): string;
  toClient(upstreamName: string): string;
}

export const EMPTY_TOOL_NAME_PLACEHOLDER = 'unnamed_tool';

export function shortenToolName(name: string, maxLength: number): string {
  if (name === '') return EMPTY_TOOL_NAME_PLACEHOLDER;
  if (name.length <= maxLength) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, maxLength - 9)}_${hash}`;
}

export function createToolNameMap(tools: ReadonlyArray<{ readonly name?: unknown }> | undefined, maxLength: number): ToolNameMap {
  const toUpstream = new Map<string, string>();
  const toClient = new Map<string, string>();
  for (const tool of tools ?? []) {
    if (typeof tool.name !== 'string') continue;
    const short = shortenToolName(tool.name, maxLength);
    toUpstream.set(tool.name, short);
    toClient.set(short, tool.name);
  }
  return {
    toUpstream: (name) => toUpstream.get(name) ?? shortenToolName(name, maxLength),
    toClient: (name) => toClient.get(name) ?? name,
  };
}

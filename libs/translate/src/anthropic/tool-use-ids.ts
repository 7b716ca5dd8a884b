import type { ToolNameMap } from '../tool-names';

const INVALID_ID_CHARS = /[^a-zA-Z0-9_-]/g;

/**
 * Client-facing `tool_use` ids for one response. Anthropic requires `^[a-zA-Z0-9_-]+$` and
 * unique ids (each is answered by exactly one `tool_result`, docs/protocol.md §1.3, §1.4); upstreams
 * send Kimi-style `functions.Bash:0`, empty ids or none (§10 C6). Invalid characters become `_`
 * (deterministic, so the next turn's history maps back the same way); a missing, empty or
 * repeated id gets a fresh `newId('toolu')`. Both the unary and the streaming path assign ids
 * in block order, so they consume `newId` in the same sequence.
 */
export class ToolUseIds {
  private readonly used = new Set<string>();

  constructor(private readonly newId: (prefix: 'toolu') => string) {}

  assign(upstreamId: string | undefined): string {
    const sanitised = upstreamId?.replace(INVALID_ID_CHARS, '_') ?? '';
    const id = sanitised === '' || this.used.has(sanitised) ? this.newId('toolu') : sanitised;
    this.used.add(id);
    return id;
  }
}

/**
 * The client's tool name for an upstream name: shortened (>64 chars) and placeholder names
 * go back through the request's map (§7.4). A call that never got a name stays `''`, which the
 * client reports to the model as an unknown tool rather than the gateway guessing one.
 */
export function clientToolName(upstreamName: string | undefined, facts: { readonly toolNames: ToolNameMap }): string {
  return facts.toolNames.toClient(upstreamName ?? '');
}

import type { AnthropicRequest } from '@turnout/protocol';

/** How many (provider, model) pairs are remembered; past it the oldest is forgotten (and relearnt by one retry). */
const MAX_REMEMBERED = 1_000;

/**
 * Models that answered "does not support thinking" (Ollama's /api/chat 400s on any truthy
 * `think` for a model without the capability, docs/protocol.md §10 B7). Claude Code asks for
 * adaptive thinking on every request, so without this a non-thinking model could never be
 * used. The first refusal costs one retry; later requests for the pair go without thinking.
 */
export class ThinkingRefusals {
  private readonly refused = new Set<string>();

  has(providerId: string, model: string): boolean {
    return this.refused.has(key(providerId, model));
  }

  remember(providerId: string, model: string): void {
    if (this.refused.size >= MAX_REMEMBERED) this.refused.delete(this.refused.values().next().value as string);
    this.refused.add(key(providerId, model));
  }
}

function key(providerId: string, model: string): string {
  return `${providerId}\u0000${model}`;
}

/** The upstream's words for "this model cannot think" (Ollama; kept narrow on purpose). */
export function refusesThinking(status: number, bodyText: string): boolean {
  return status === 400 && /does not support thinking/i.test(bodyText);
}

/** Whether the request asks for thinking at all (anything but absent or disabled). */
export function asksForThinking(request: AnthropicRequest): boolean {
  const thinking = (request as { thinking?: { type?: string } }).thinking;
  return thinking !== undefined && thinking.type !== 'disabled';
}

/** The same request without thinking: `thinking` removed, and the effort that would re-enable it. */
export function withoutThinking(request: AnthropicRequest): AnthropicRequest {
  const { thinking: _thinking, ...rest } = request as AnthropicRequest & { thinking?: unknown; output_config?: Record<string, unknown> };
  const outputConfig = (rest as { output_config?: Record<string, unknown> }).output_config;
  if (outputConfig && 'effort' in outputConfig) {
    const { effort: _effort, ...keep } = outputConfig;
    return { ...rest, output_config: keep } as AnthropicRequest;
  }
  return rest as AnthropicRequest;
}

import { isRecord, type OllamaThink } from '@turnout/protocol';

/**
 * Whether and how hard to think (docs/protocol.md §1.6, §8.1), as Ollama's own Anthropic adapter maps
 * it, so a client sees the same behaviour through Turnout as through Ollama's `/v1/messages`:
 *
 * | Anthropic                                     | think                          |
 * |-----------------------------------------------|--------------------------------|
 * | `thinking:{type:"enabled"}` (any budget)       | `true`                         |
 * | `thinking:{type:"disabled"}`                   | `false`                        |
 * | adaptive or absent, `output_config.effort` E   | E (`xhigh` → `high`)           |
 * | adaptive or absent, no effort                  | omitted (the model's default)  |
 *
 * Ollama has no token budget; its levels are low/medium/high/max, and `xhigh` has no Ollama
 * level above `high` short of `max`. Non-thinking models answer 400 `"x" does not support
 * thinking` to any truthy `think` (§10 B7): knowing the model's capabilities is the gateway's
 * job (Ollama `/api/show`), not the translator's.
 */
export function mapThink(thinking: unknown, outputConfig: unknown): OllamaThink | undefined {
  const type = isRecord(thinking) ? thinking.type : undefined;
  if (type === 'enabled') return true;
  if (type === 'disabled') return false;
  return isRecord(outputConfig) ? thinkLevel(outputConfig.effort) : undefined;
}

function thinkLevel(effort: unknown): OllamaThink | undefined {
  switch (effort) {
    case 'low':
    case 'medium':
    case 'high':
    case 'max':
      return effort;
    case 'xhigh':
      return 'high';
    default:
      return undefined;
  }
}

/**
 * A tokenizer-free estimate of a Messages request's prompt size, for upstreams that cannot
 * count (docs/protocol.md §6.1): about 4 characters per token over every text the model will see
 * (system, message text, tool inputs and results, tool definitions), plus a flat cost per image.
 * It over-counts JSON punctuation slightly, which errs toward Claude Code compacting early
 * rather than overflowing.
 */
const CHARS_PER_TOKEN = 4;
/** Anthropic's own rule of thumb for an image of ~1.15 megapixels (width × height / 750). */
const TOKENS_PER_IMAGE = 1_600;

export function estimateInputTokens(request: { readonly system?: unknown; readonly messages?: unknown; readonly tools?: unknown }): number {
  const tally = { chars: 0, images: 0 };
  walk(request.system, tally);
  walk(request.messages, tally);
  if (Array.isArray(request.tools) && request.tools.length > 0) tally.chars += JSON.stringify(request.tools).length;
  return Math.ceil(tally.chars / CHARS_PER_TOKEN) + tally.images * TOKENS_PER_IMAGE;
}

function walk(value: unknown, tally: { chars: number; images: number }): void {
  if (typeof value === 'string') {
    tally.chars += value.length;
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walk(item, tally);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const block = value as Record<string, unknown>;
  switch (block.type) {
    case 'image':
      tally.images += 1;
      return;
    case 'tool_use':
      tally.chars += String(block.name ?? '').length + JSON.stringify(block.input ?? {}).length;
      return;
    case 'redacted_thinking':
      return;
    default:
      for (const key of ['content', 'text', 'thinking'] as const) walk(block[key], tally);
  }
}

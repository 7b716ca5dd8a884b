import type { AnthropicRequest, ContentBlockParam, MessageParam } from '@turnout/protocol';
import { HYGIENE_REWRITES } from './hygiene-rewrite';
import type { HygieneStepResult } from './hygiene-step';
import { mapIfChanged } from './map-if-changed';
import { withoutKey } from './without-key';

const CACHE_CONTROL = 'cache_control';

/**
 * Removes `cache_control` from the request, system blocks, message blocks (and the blocks
 * inside tool results) and tools: strict hosts reject it as an unknown field (docs/protocol.md
 * §1.4, §10 E2), and servers without prompt caching have no use for it.
 */
export function dropCacheControl(request: AnthropicRequest): HygieneStepResult {
  let next = withoutKey(request, CACHE_CONTROL);

  const system = next.system;
  if (Array.isArray(system)) {
    const stripped = mapIfChanged(system, (block) => withoutKey(block, CACHE_CONTROL));
    if (stripped !== system) next = { ...next, system: stripped };
  }

  const messages = mapIfChanged(next.messages, stripMessage);
  if (messages !== next.messages) next = { ...next, messages };

  const tools = next.tools;
  if (tools !== undefined) {
    const stripped = mapIfChanged(tools, (tool) => withoutKey(tool, CACHE_CONTROL));
    if (stripped !== tools) next = { ...next, tools: stripped };
  }

  return next === request ? undefined : { request: next, rewrite: HYGIENE_REWRITES.dropCacheControl };
}

function stripMessage(message: MessageParam): MessageParam {
  if (typeof message.content === 'string') return message;
  if (message.role === 'system') {
    const content = mapIfChanged(message.content, (block) => withoutKey(block, CACHE_CONTROL));
    return content === message.content ? message : { ...message, content };
  }
  const content = mapIfChanged(message.content, stripBlock);
  return content === message.content ? message : { ...message, content };
}

function stripBlock(block: ContentBlockParam): ContentBlockParam {
  const stripped = withoutKey(block, CACHE_CONTROL);
  if (stripped.type !== 'tool_result' || !Array.isArray(stripped.content)) return stripped;
  const nested = mapIfChanged(stripped.content, (inner) => withoutKey(inner, CACHE_CONTROL));
  return nested === stripped.content ? stripped : { ...stripped, content: nested };
}

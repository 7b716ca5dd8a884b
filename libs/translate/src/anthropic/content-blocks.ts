import type { AnthropicMessage, AnthropicUsage, ContentBlock } from '@turnout/protocol';
import type { AnthropicStop } from './stop-reason';

export type TextBlock = Extract<ContentBlock, { type: 'text' }>;
export type ThinkingBlock = Extract<ContentBlock, { type: 'thinking' }>;
export type ToolUseBlock = Extract<ContentBlock, { type: 'tool_use' }>;

/**
 * A complete Message with every key the SDK types mark required (docs/protocol.md §2.1: the spec
 * lists them all as required in responses; emitting each, `null` when unknown, is the safest
 * mimicry). Used for the unary body and, with `stop: null` and empty content, `message_start`.
 */
export function anthropicMessage(parts: {
  readonly id: string;
  readonly model: string;
  readonly content: ContentBlock[];
  readonly stop: AnthropicStop | null;
  readonly usage: AnthropicUsage;
}): AnthropicMessage {
  return {
    id: parts.id,
    type: 'message',
    role: 'assistant',
    model: parts.model,
    content: parts.content,
    stop_reason: parts.stop?.stopReason ?? null,
    stop_sequence: parts.stop?.stopSequence ?? null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: parts.usage,
  };
}

/** Response text blocks always carry `citations` (§2.2). */
export function textBlock(text: string): TextBlock {
  return { type: 'text', text, citations: null };
}

/**
 * No upstream produces a real signature; `""` is what llama.cpp sends and what clients accept.
 * The key itself is mandatory: Claude Code drops thinking blocks without it (§10 B1).
 */
export function thinkingBlock(thinking: string): ThinkingBlock {
  return { type: 'thinking', thinking, signature: '' };
}

/** `caller: direct`: the model called the tool itself (the SDK type requires the key). */
export function toolUseBlock(id: string, name: string, input: Record<string, unknown>): ToolUseBlock {
  return { type: 'tool_use', id, name, input, caller: { type: 'direct' } };
}

/**
 * Anthropic Messages wire types. We re-use the official SDK's types (type-only imports, so
 * nothing of the SDK runs in the gateway) and add what the SDK does not model: the `ping`
 * and `error` stream events, and the tolerance for fields and blocks Anthropic adds later.
 */
import type {
  ContentBlock,
  ContentBlockParam,
  ImageBlockParam,
  Message,
  MessageCreateParamsBase,
  MessageParam,
  RawContentBlockDeltaEvent,
  RawContentBlockStartEvent,
  RawContentBlockStopEvent,
  RawMessageDeltaEvent,
  RawMessageStartEvent,
  RawMessageStopEvent,
  StopReason,
  TextBlockParam,
  Tool,
  ToolChoice,
  ToolResultBlockParam,
  ToolUseBlockParam,
  ThinkingBlockParam,
  Usage,
} from '@anthropic-ai/sdk/resources/messages/messages';

export type {
  ContentBlock,
  ContentBlockParam,
  ImageBlockParam,
  Message as AnthropicMessage,
  MessageParam,
  RawContentBlockDeltaEvent,
  RawContentBlockStartEvent,
  RawContentBlockStopEvent,
  RawMessageDeltaEvent,
  RawMessageStartEvent,
  RawMessageStopEvent,
  StopReason,
  TextBlockParam,
  Tool as AnthropicTool,
  ToolChoice as AnthropicToolChoice,
  ToolResultBlockParam,
  ToolUseBlockParam,
  ThinkingBlockParam,
  Usage as AnthropicUsage,
};

/**
 * A `POST /v1/messages` body as the gateway receives it. The envelope (model, max_tokens,
 * messages, roles, stream) is validated before translation; everything else may carry
 * fields and block types newer than these typings, which translators must tolerate.
 */
export type AnthropicRequest = MessageCreateParamsBase & { readonly [extra: string]: unknown };

/** `POST /v1/messages/count_tokens` body: a Messages body without `max_tokens`. */
export type AnthropicCountTokensRequest = Omit<AnthropicRequest, 'max_tokens'> & { max_tokens?: number };

export interface AnthropicPingEvent {
  readonly type: 'ping';
}

export interface AnthropicErrorEvent {
  readonly type: 'error';
  readonly error: { readonly type: string; readonly message: string };
  readonly request_id?: string | null;
}

/** Every event a Messages stream may carry, in the order the grammar allows (docs/protocol.md §3.2). */
export type AnthropicStreamEvent =
  | RawMessageStartEvent
  | RawMessageDeltaEvent
  | RawMessageStopEvent
  | RawContentBlockStartEvent
  | RawContentBlockDeltaEvent
  | RawContentBlockStopEvent
  | AnthropicPingEvent
  | AnthropicErrorEvent;

export type AnthropicStreamEventType = AnthropicStreamEvent['type'];

import type { AnthropicStreamEvent, AnthropicUsage } from '@turnout/protocol';
import type { TranslateContext } from '../translator';
import { anthropicMessage } from './content-blocks';
import type { AnthropicStop } from './stop-reason';
import { toDeltaUsage, type UsageFigures } from './usage';

/**
 * The message-level events that frame every translated stream, whatever the upstream protocol:
 * one `message_start` first, one `message_delta` + `message_stop` last (docs/protocol.md §3.2).
 */

/**
 * `message_start`: an empty Message (blocks are appended by index) with the usage known so far.
 * The message id is drawn here, first, as the unary path draws it before any tool id, so both
 * paths consume the injected `newId` in the same order.
 */
export function messageStartEvent(context: TranslateContext, usage: AnthropicUsage): AnthropicStreamEvent {
  const message = anthropicMessage({ id: context.newId('msg'), model: context.requestedModel, content: [], stop: null, usage });
  return { type: 'message_start', message };
}

/**
 * `message_delta` with cumulative usage, then `message_stop`. Every Delta key is required by the
 * SDK type, and the SDK copies `stop_details` unconditionally.
 */
export function messageEndEvents(stop: AnthropicStop, usage: UsageFigures): AnthropicStreamEvent[] {
  return [
    {
      type: 'message_delta',
      delta: { stop_reason: stop.stopReason, stop_sequence: stop.stopSequence, stop_details: null, container: null },
      usage: toDeltaUsage(usage),
    },
    { type: 'message_stop' },
  ];
}

import { GatewayError } from '@turnout/errors';
import { isRecord, type AnthropicStreamEvent } from '@turnout/protocol';
import { parseSseBatches, SseParseError, type SseMessage } from '@turnout/sse';
import { decodeInBatches } from '../decode-in-batches';

/**
 * An Anthropic event stream's bytes → its events, one array per read. Every named frame must
 * carry a JSON object (what the Anthropic SDK requires too); frames without a name are not
 * Anthropic events and are skipped, as the SDK skips them; reading stops at `message_stop`.
 */
export async function* decodeAnthropicStream(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<AnthropicStreamEvent[]> {
  try {
    for await (const batch of decodeInBatches(parseSseBatches(bytes), decodeMessage, (event) => event?.type === 'message_stop')) {
      yield batch.filter((event): event is AnthropicStreamEvent => event !== undefined);
    }
  } catch (error) {
    if (error instanceof SseParseError) throw new GatewayError('GW_UPSTREAM_PROTOCOL', { message: `The upstream event stream is malformed: ${error.message}`, cause: error });
    throw error;
  }
}

function decodeMessage(message: SseMessage): AnthropicStreamEvent | undefined {
  if (message.event === undefined || message.event === '') return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(message.data);
  } catch {
    payload = undefined;
  }
  if (message.event === 'error') throw upstreamErrorEvent(payload, message.data);
  if (!isRecord(payload)) throw new GatewayError('GW_UPSTREAM_PROTOCOL', { message: `The upstream sent a ${message.event} event that is not a JSON object` });
  return payload as unknown as AnthropicStreamEvent;
}

/** `event: error` in either shape seen on the wire: Anthropic's envelope or llama-server's bare `{code, message, type}`. */
function upstreamErrorEvent(payload: unknown, raw: string): GatewayError {
  const inner = isRecord(payload) && isRecord(payload.error) ? payload.error : isRecord(payload) ? payload : undefined;
  const message = typeof inner?.message === 'string' ? inner.message : raw.slice(0, 200);
  const code = inner?.type === 'overloaded_error' ? 'GW_UPSTREAM_OVERLOADED' : 'GW_UPSTREAM_ERROR';
  return new GatewayError(code, { message: `upstream: ${message}` });
}

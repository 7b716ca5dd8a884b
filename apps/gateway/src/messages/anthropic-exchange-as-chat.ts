
import { AnthropicToChatStream, anthropicMessageToChat, decodeAnthropicStream, formatChatStreamItem, runMachineInBatches, type ChatAnswerContext } from '@turnout/translate';
import type { Exchange } from '../http/exchange';
import { parseUpstreamJson } from './upstream-body';

/**
 * An exchange in Anthropic form (from the Messages passthrough) as the same exchange in chat
 * form: a Message body becomes a chat completion, an event stream becomes chunks (each read's
 * frames one write, as the translation track does). Status, headers, settle and errors stay.
 */
export function anthropicExchangeAsChat(exchange: Exchange, context: ChatAnswerContext): Exchange {
  const { body } = exchange;
  if (body.kind === 'error') return exchange;
  if (body.kind === 'bytes') {
    const json = parseUpstreamJson(typeof body.bytes === 'string' ? body.bytes : body.bytes.toString('utf8'));
    const translated = anthropicMessageToChat(json, context);
    return { ...exchange, body: { kind: 'bytes', contentType: 'application/json', bytes: JSON.stringify(translated.body) } };
  }
  const machine = new AnthropicToChatStream(context);
  const source = body.frames;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    for await (const frame of source) yield typeof frame === 'string' ? Buffer.from(frame) : frame;
  }
  async function* frames(): AsyncGenerator<string> {
    for await (const batch of runMachineInBatches(machine, decodeAnthropicStream(bytes()))) {
      if (batch.length > 0) yield batch.map(formatChatStreamItem).join('');
    }
  }
  return { ...exchange, body: { kind: 'frames', frames: frames(), contentType: 'text/event-stream; charset=utf-8' } };
}

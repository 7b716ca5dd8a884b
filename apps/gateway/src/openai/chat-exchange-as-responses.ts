import { GatewayError, toOpenAiErrorBody } from '@turnout/errors';
import { formatSseJson } from '@turnout/sse';
import { ChatToResponsesStream, chatCompletionToResponse, decodeOpenAiChatBatches, runMachineInBatches, type ResponsesContext } from '@turnout/translate';
import { OPENAI_CHAT_ERRORS, type ErrorRenderer } from '../http/error-renderers';
import type { Exchange } from '../http/exchange';

/**
 * A chat exchange (whatever track produced it) as a Responses exchange: a chat completion
 * becomes a Response, a chunk stream becomes the Responses event grammar. A stream that fails
 * after the 200 ends with `response.failed` and `error`, numbered after the events sent, so
 * the error renderer is this stream's own. Status, headers and settle (usage) stay.
 */
export function chatExchangeAsResponses(exchange: Exchange, context: ResponsesContext): Exchange {
  const { body } = exchange;
  if (body.kind === 'error') return { ...exchange, errors: OPENAI_CHAT_ERRORS };
  if (body.kind === 'bytes') {
    try {
      const json: unknown = JSON.parse(typeof body.bytes === 'string' ? body.bytes : body.bytes.toString('utf8'));
      return { ...exchange, body: { kind: 'bytes', contentType: 'application/json', bytes: JSON.stringify(chatCompletionToResponse(json, context)) }, errors: OPENAI_CHAT_ERRORS };
    } catch (caught) {
      // Still this exchange (its settle releases the upstream slot), answering with the error.
      const error = caught instanceof GatewayError ? caught : new GatewayError('GW_UPSTREAM_PROTOCOL', { message: 'upstream: response body is not JSON' });
      return { ...exchange, status: error.status, body: { kind: 'error', error }, errors: OPENAI_CHAT_ERRORS };
    }
  }
  const machine = new ChatToResponsesStream(context);
  const source = body.frames;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    for await (const frame of source) yield typeof frame === 'string' ? Buffer.from(frame) : frame;
  }
  async function* frames(): AsyncGenerator<string> {
    for await (const batch of runMachineInBatches(machine, decodeOpenAiChatBatches(bytes()))) {
      if (batch.length > 0) yield batch.map((event) => formatSseJson(event)).join('');
    }
  }
  const errors: ErrorRenderer = {
    body: (error) => toOpenAiErrorBody(error),
    streamFrames: (error) => machine.fail(error.code, error.message).map((event) => formatSseJson(event)).join(''),
    ping: OPENAI_CHAT_ERRORS.ping,
  };
  return { ...exchange, body: { kind: 'frames', frames: frames(), contentType: 'text/event-stream; charset=utf-8' }, errors };
}

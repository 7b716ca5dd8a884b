import { toAnthropicErrorBody, toOpenAiErrorBody, type GatewayError } from '@turnout/errors';
import type { InboundApi } from '@turnout/protocol';
import { formatSseJson } from '@turnout/sse';

/**
 * How one inbound API words a failure: the JSON body of an error answer, the frames that end a
 * committed stream, and the keep-alive sent during silences. The reply writer is the same for
 * every API; only this differs (issue 17).
 */
export interface ErrorRenderer {
  body(error: GatewayError, requestId: string): unknown;
  /** Complete SSE frames: the stream's last words. */
  streamFrames(error: GatewayError, requestId: string): string;
  readonly ping: string;
}

/** `/v1/messages`: `{type:"error", error:{type,message}, request_id}`, and `event: error` in a stream. */
export const ANTHROPIC_ERRORS: ErrorRenderer = {
  body: (error, requestId) => toAnthropicErrorBody(error, requestId),
  streamFrames: (error, requestId) => formatSseJson(toAnthropicErrorBody(error, requestId)),
  ping: formatSseJson({ type: 'ping' }),
};

/**
 * `/v1/chat/completions`: `{error:{message,type,param,code}}`; a stream ends with a data-only
 * frame carrying it, which the openai SDKs raise as an APIError (and no `[DONE]` after it).
 * Pings are SSE comments, which every OpenAI client skips.
 */
export const OPENAI_CHAT_ERRORS: ErrorRenderer = {
  body: (error) => toOpenAiErrorBody(error),
  streamFrames: (error) => `data: ${JSON.stringify(toOpenAiErrorBody(error))}\n\n`,
  ping: ': ping\n\n',
};

/** Paths answered by an OpenAI-compatible API: errors raised before a handler returns are worded for them. */
export function errorRendererForPath(url: string): ErrorRenderer {
  return inboundApiOfPath(url) === 'messages' ? ANTHROPIC_ERRORS : OPENAI_CHAT_ERRORS;
}

/**
 * The API a path belongs to, for what is refused before a controller runs (early key check,
 * body limits): the whole OpenAI families, so `GET /v1/responses/{id}` (a store Turnout does
 * not keep) is answered in OpenAI's words too; everything else is Anthropic's.
 */
export function inboundApiOfPath(url: string): InboundApi {
  const path = url.split('?')[0] ?? '';
  if (path.startsWith('/v1/chat/')) return 'chat_completions';
  if (path === '/v1/responses' || path.startsWith('/v1/responses/')) return 'responses';
  return 'messages';
}

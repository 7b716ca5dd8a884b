import { ERROR_CODES, GatewayError } from '@turnout/errors';
import { isRecord } from '@turnout/protocol';
import { keptCodeOf, normalizeUpstreamError } from './normalize-upstream-error';

/** What an upstream's mid-stream `event: error` said. */
export interface UpstreamErrorEvent {
  readonly type: string;
  readonly message: string;
}

/** Enough of an unreadable payload to recognise it in a log line. */
const MAX_RAW_MESSAGE_CHARS = 200;
const FALLBACK_TYPE = 'api_error';

/**
 * Reads both shapes seen on the wire: Anthropic's `{"type":"error","error":{"type","message"}}`
 * and llama-server's bare `{"code":500,"message":…,"type":"server_error"}`. Anything else
 * still yields an error (the upstream did send `event: error`), with the raw text as message.
 * `data` is undefined when the payload was too large to buffer.
 */
export function readUpstreamErrorEvent(text: string | undefined): UpstreamErrorEvent {
  if (text === undefined) return { type: FALLBACK_TYPE, message: 'upstream error event too large to read' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const fromEnvelope = isRecord(json) && isRecord(json.error) ? describe(json.error) : undefined;
  const fromBare = isRecord(json) ? describe(json) : undefined;
  return fromEnvelope ?? fromBare ?? { type: FALLBACK_TYPE, message: text.slice(0, MAX_RAW_MESSAGE_CHARS) };
}

function describe(source: Record<string, unknown>): UpstreamErrorEvent | undefined {
  if (typeof source.message !== 'string') return undefined;
  const type = typeof source.type === 'string' && source.type !== 'error' ? source.type : FALLBACK_TYPE;
  return { type, message: source.message };
}

/**
 * An upstream's mid-stream `event: error` as the error the client's stream ends with. An
 * Anthropic-shaped one keeps its type and message (an `overloaded_error` stays one, so the SDK
 * retries); any other shape (llama.cpp's `{"code":500,"message":…,"type":"server_error"}`, bare
 * or in an `error` envelope) is classified like an upstream error response with that status.
 */
export function upstreamErrorEventAsGatewayError(text: string | undefined): GatewayError {
  if (text === undefined) return new GatewayError('GW_UPSTREAM_ERROR', { message: 'The upstream sent an error event too large to read' });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (isRecord(json) && json.type === 'error' && isRecord(json.error)) {
    return normalizeUpstreamError(statusOfAnthropicType(json.error.type), text, {});
  }
  const inner = isRecord(json) && isRecord(json.error) ? json.error : isRecord(json) ? json : undefined;
  const status = typeof inner?.code === 'number' && inner.code >= 400 && inner.code <= 599 ? inner.code : 500;
  const envelope = inner === undefined ? text.slice(0, MAX_RAW_MESSAGE_CHARS) : JSON.stringify({ error: inner });
  return normalizeUpstreamError(status, envelope, {});
}

function statusOfAnthropicType(type: unknown): number {
  if (typeof type !== 'string') return 500;
  const code = keptCodeOf(type);
  return code === undefined ? 500 : ERROR_CODES[code].status;
}

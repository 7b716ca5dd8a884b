import { isRecord } from '@turnout/protocol';

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
export function readUpstreamErrorEvent(data: Buffer | undefined): UpstreamErrorEvent {
  if (data === undefined) return { type: FALLBACK_TYPE, message: 'upstream error event too large to read' };
  const text = data.toString('utf8');
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

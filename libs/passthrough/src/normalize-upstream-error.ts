import { ERROR_CODES, GatewayError, type AnthropicErrorType, type ErrorCode } from '@turnout/errors';
import { mapUpstreamHttpError } from '@turnout/translate';
import { isRecord } from '@turnout/protocol';
import { retryHeaders } from './retry-after-headers';

/**
 * Which gateway code carries an upstream's own Anthropic error through unchanged. A body is
 * kept only when its type is one of these and the status is that code's status: a real
 * Anthropic error, where the SDK's class and retry choice follow from status and type alike.
 *
 * Left out on purpose, so they go through `mapUpstreamHttpError`:
 * - `authentication_error` (401) and `permission_error` (403): the credential the upstream
 *   refused is the gateway's, not the user's; a 401 would make Claude Code ask the user to log
 *   in again. The translate track answers 502 for the same reason, and both tracks should agree.
 */
const KEPT_ANTHROPIC_TYPES: Partial<Record<AnthropicErrorType, ErrorCode>> = {
  invalid_request_error: 'GW_UPSTREAM_BAD_REQUEST',
  billing_error: 'GW_UPSTREAM_BILLING',
  not_found_error: 'GW_UPSTREAM_MODEL_NOT_FOUND',
  request_too_large: 'GW_UPSTREAM_TOO_LARGE',
  rate_limit_error: 'GW_UPSTREAM_RATE_LIMITED',
  api_error: 'GW_UPSTREAM_ERROR',
  timeout_error: 'GW_UPSTREAM_TIMEOUT',
  overloaded_error: 'GW_UPSTREAM_OVERLOADED',
};

/**
 * An upstream error response on the passthrough track, as the error the client sees. An
 * Anthropic upstream's own error is already what the client expects (its message is exact:
 * Claude Code parses "prompt is too long: N tokens > M maximum"), so it goes through with its
 * status, type, message and retry hints. Every other body (llama-server's and OpenAI's
 * `{"error":{…}}`, vLLM's Anthropic envelope with types like "Bad Request", HTML from a proxy,
 * plain text) is classified like a translated upstream's error.
 */
export function normalizeUpstreamError(status: number, bodyText: string, headers: Readonly<Record<string, string>>): GatewayError {
  const kept = readAnthropicError(status, bodyText);
  if (kept === undefined) return mapUpstreamHttpError(status, bodyText, headers);
  return new GatewayError(kept.code, { message: kept.message, headers: retryHeaders(headers), upstreamStatus: status });
}

function readAnthropicError(status: number, bodyText: string): { code: ErrorCode; message: string } | undefined {
  const trimmed = bodyText.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return undefined; // a truncated body (the forwarder reads a bounded prefix) is classified as text
  }
  if (!isRecord(json) || json.type !== 'error' || !isRecord(json.error)) return undefined;
  const { type, message } = json.error;
  if (typeof type !== 'string' || typeof message !== 'string' || message.trim() === '') return undefined;
  const code = keptCodeOf(type);
  if (code === undefined || ERROR_CODES[code].status !== status) return undefined;
  return { code, message };
}

/** The gateway code that carries an upstream Anthropic error of this type through unchanged, if any. */
export function keptCodeOf(type: string): ErrorCode | undefined {
  return Object.hasOwn(KEPT_ANTHROPIC_TYPES, type) ? KEPT_ANTHROPIC_TYPES[type as AnthropicErrorType] : undefined;
}

import type { AnthropicErrorType } from './error-codes';
import type { GatewayError } from './gateway-error';

/** OpenAI's error body: `{error:{message, type, param, code}}` (Chat Completions and Responses alike). */
export interface OpenAiErrorBody {
  readonly error: { readonly message: string; readonly type: string; readonly param: string | null; readonly code: string };
}

/**
 * The same error table, worded for OpenAI clients: OpenAI has no `overloaded_error` or
 * `api_error`, its SDKs pick the exception class by HTTP status anyway, so the type only has
 * to be one an OpenAI client recognises. `code` is the gateway's stable code (logs and
 * metrics key on it too).
 */
const OPENAI_TYPES: Readonly<Record<AnthropicErrorType, string>> = {
  invalid_request_error: 'invalid_request_error',
  authentication_error: 'authentication_error',
  billing_error: 'insufficient_quota',
  permission_error: 'permission_error',
  not_found_error: 'not_found_error',
  request_too_large: 'invalid_request_error',
  rate_limit_error: 'rate_limit_error',
  api_error: 'server_error',
  timeout_error: 'server_error',
  overloaded_error: 'server_error',
};

/** Gateway messages start with the field they are about (`model: no route matches …`): that is OpenAI's `param`. */
const FIELD_PREFIX = /^([A-Za-z_][\w.[\]]{0,63}): /;

export function toOpenAiErrorBody(error: GatewayError): OpenAiErrorBody {
  const param = error.anthropicType === 'invalid_request_error' || error.anthropicType === 'not_found_error' ? (FIELD_PREFIX.exec(error.message)?.[1] ?? null) : null;
  return { error: { message: error.message, type: OPENAI_TYPES[error.anthropicType], param: param === 'body' ? null : param, code: error.code } };
}

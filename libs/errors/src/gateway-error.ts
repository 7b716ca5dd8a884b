import { maskSecrets } from './secret-mask';
import { ERROR_CODES, type AnthropicErrorType, type ErrorCode } from './error-codes';

export interface GatewayErrorOptions {
  readonly message?: string;
  readonly cause?: unknown;
  /** Response headers the client should see with this error (e.g. `retry-after`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Upstream HTTP status, kept for logs and metrics; never changes the client status. */
  readonly upstreamStatus?: number;
}

/**
 * The one error type that crosses layer boundaries. Libraries throw it; the gateway's
 * exception filter renders it as an Anthropic error body, and the reply writer renders
 * it as an `event: error` frame once a stream has started.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly anthropicType: AnthropicErrorType;
  readonly headers: Readonly<Record<string, string>>;
  readonly upstreamStatus: number | undefined;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    const spec = ERROR_CODES[code];
    super(options.message ?? spec.defaultMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = spec.status;
    this.anthropicType = spec.type;
    this.headers = options.headers ?? {};
    this.upstreamStatus = options.upstreamStatus;
  }

  static is(value: unknown): value is GatewayError {
    return value instanceof GatewayError;
  }
}

/** Anthropic error body: `{type:"error", error:{type, message}, request_id}`. */
export interface AnthropicErrorBody {
  readonly type: 'error';
  readonly error: { readonly type: AnthropicErrorType; readonly message: string };
  readonly request_id: string | null;
}

export function toAnthropicErrorBody(error: GatewayError, requestId: string | null): AnthropicErrorBody {
  return { type: 'error', error: { type: error.anthropicType, message: maskSecrets(error.message) }, request_id: requestId };
}

/** Anything thrown that is not a GatewayError is a bug of ours: say so without leaking internals. */
export function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('GW_INTERNAL', { cause: error });
}

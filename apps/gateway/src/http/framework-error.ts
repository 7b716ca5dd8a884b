import { HttpException } from '@nestjs/common';
import { GatewayError, asGatewayError, type ErrorCode } from '@turnout/errors';

/** Status → code for errors raised by Fastify or Nest themselves (body parsing, unknown routes). */
const STATUS_TO_CODE: Readonly<Record<number, ErrorCode>> = {
  400: 'GW_INVALID_REQUEST',
  401: 'GW_AUTHENTICATION',
  403: 'GW_PERMISSION',
  404: 'GW_NOT_FOUND',
  405: 'GW_NOT_FOUND',
  413: 'GW_BODY_TOO_LARGE',
  415: 'GW_INVALID_REQUEST',
};

/**
 * Turns anything thrown into a GatewayError: our own pass through; framework errors keep
 * their status (Fastify's `FST_ERR_CTP_BODY_TOO_LARGE` is a 413, a JSON syntax error a 400)
 * with a message that says what to fix; everything else is a 500 that leaks no internals.
 */
export function toGatewayError(error: unknown, request?: RequestLine): GatewayError {
  if (error instanceof GatewayError) return error;
  const status = frameworkStatus(error);
  const code = status === undefined ? undefined : STATUS_TO_CODE[status];
  if (code === undefined) return asGatewayError(error);
  if (code === 'GW_BODY_TOO_LARGE') {
    return new GatewayError(code, { message: 'request body exceeds the 32 MB limit', cause: error });
  }
  if (code === 'GW_NOT_FOUND' && request !== undefined) {
    // Nest's router answers unknown routes with "Cannot POST /x"; say what the client hit instead.
    const path = request.url.split('?')[0];
    return new GatewayError(code, { message: `${request.method} ${path} is not a Turnout endpoint`, cause: error });
  }
  const message = error instanceof Error ? error.message : undefined;
  return new GatewayError(code, { message: message ? `body: ${message}` : undefined, cause: error });
}

/** The parts of the request an error message may quote (never headers or body). */
export interface RequestLine {
  readonly method: string;
  readonly url: string;
}

function frameworkStatus(error: unknown): number | undefined {
  if (error instanceof HttpException) return error.getStatus();
  if (typeof error === 'object' && error !== null) {
    const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
    if (typeof code === 'string' && code.startsWith('FST_') && typeof statusCode === 'number') return statusCode;
  }
  return undefined;
}

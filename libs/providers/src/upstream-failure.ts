import { GatewayError, type ErrorCode } from '@turnout/errors';

/**
 * Where an upstream call was when it failed. `connect` and `headers` are both "before the
 * response head": nothing reached the client yet, so the filter can still answer with a real
 * status. `body` is mid-response: the reply writer turns the error into an `event: error`.
 */
export type UpstreamPhase = 'connect' | 'headers' | 'body';

interface FailureRow {
  /** What happened, for the client's message. Never the thrown message: Node's embed addresses. */
  readonly what: string;
  readonly beforeHeaders: ErrorCode;
  readonly inBody: ErrorCode;
  /** Retrying cannot help (a bad certificate, a bug of ours): send `x-should-retry: false` (docs/protocol.md §4.2). */
  readonly deterministic?: true;
}

const gone = (what: string): FailureRow => ({ what, beforeHeaders: 'GW_UPSTREAM_UNREACHABLE', inBody: 'GW_UPSTREAM_STREAM_ENDED' });
const badTls = (what: string): FailureRow => ({ ...gone(what), deterministic: true });
const ours = (what: string): FailureRow => ({ what, beforeHeaders: 'GW_INTERNAL', inBody: 'GW_INTERNAL', deterministic: true });
const unparseable = (what: string): FailureRow => ({ what, beforeHeaders: 'GW_UPSTREAM_PROTOCOL', inBody: 'GW_UPSTREAM_PROTOCOL' });
const ABORTED: FailureRow = { what: 'the client closed the request, so the upstream call was cancelled', beforeHeaders: 'GW_CLIENT_ABORTED', inBody: 'GW_CLIENT_ABORTED' };

/**
 * Keyed by the stable `code` undici (lib/core/errors.js) and Node (system errors) put on their
 * errors. Classification never reads message text: messages change between releases and embed
 * addresses.
 */
const BY_CODE: Readonly<Record<string, FailureRow>> = {
  // The host or process is not there. Before headers that is "unreachable" (502, retried by the
  // SDK); once the body has started, the same events mean the stream was cut.
  ECONNREFUSED: gone('connection refused'),
  ENOTFOUND: gone('host name not found'),
  EAI_AGAIN: gone('host name lookup failed temporarily'),
  EHOSTUNREACH: gone('host unreachable'),
  ENETUNREACH: gone('network unreachable'),
  EADDRNOTAVAIL: gone('address not available'),
  ECONNRESET: gone('connection reset'),
  ECONNABORTED: gone('connection aborted'),
  EPIPE: gone('connection closed while sending'),
  ETIMEDOUT: gone('TCP connection timed out'),
  UND_ERR_SOCKET: gone('connection closed by the upstream'),
  // A connect timeout says the host never answered the SYN: the upstream is unreachable (502),
  // which says more than 504 timeout_error (read as "the model was slow"). Both are retried.
  UND_ERR_CONNECT_TIMEOUT: { what: 'connect timed out', beforeHeaders: 'GW_UPSTREAM_CONNECT_TIMEOUT', inBody: 'GW_UPSTREAM_CONNECT_TIMEOUT' },
  // The gateway closed its own pool (shutdown or config reload) under the request.
  UND_ERR_DESTROYED: gone('connection pool closed by the gateway'),
  UND_ERR_CLOSED: gone('connection pool closed by the gateway'),
  // A body shorter than its Content-Length: the response was cut, whatever the phase.
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: { what: 'response shorter than its Content-Length', beforeHeaders: 'GW_UPSTREAM_STREAM_ENDED', inBody: 'GW_UPSTREAM_STREAM_ENDED' },

  // The upstream is there but silent: first-byte timeout (prefill too slow) or idle timeout mid-stream.
  UND_ERR_HEADERS_TIMEOUT: { what: 'no response headers within the first-byte timeout', beforeHeaders: 'GW_UPSTREAM_FIRST_BYTE_TIMEOUT', inBody: 'GW_UPSTREAM_FIRST_BYTE_TIMEOUT' },
  UND_ERR_BODY_TIMEOUT: { what: 'no data within the idle timeout', beforeHeaders: 'GW_UPSTREAM_IDLE_TIMEOUT', inBody: 'GW_UPSTREAM_IDLE_TIMEOUT' },

  // The upstream answered something that is not HTTP we accept.
  UND_ERR_HEADERS_OVERFLOW: unparseable('response headers too large'),
  UND_ERR_RES_EXCEEDED_MAX_SIZE: unparseable('response larger than the configured maximum'),
  UND_ERR_INFO: unparseable('unexpected HTTP exchange'),

  // TLS: a certificate problem repeats on every retry.
  ERR_TLS_CERT_ALTNAME_INVALID: badTls('TLS certificate does not match the host name'),
  CERT_HAS_EXPIRED: badTls('TLS certificate expired'),
  DEPTH_ZERO_SELF_SIGNED_CERT: badTls('self-signed TLS certificate'),
  SELF_SIGNED_CERT_IN_CHAIN: badTls('self-signed TLS certificate in chain'),
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: badTls('TLS certificate cannot be verified'),
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: badTls('TLS certificate issuer unknown'),
  EPROTO: badTls('TLS handshake failed'),

  // How we called undici was wrong: a gateway bug, not the upstream's.
  UND_ERR_INVALID_ARG: ours('invalid request options'),
  UND_ERR_INVALID_RETURN_VALUE: ours('invalid handler return value'),
  UND_ERR_NOT_SUPPORTED: ours('unsupported request'),
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: ours('request body does not match its Content-Length'),

  // undici's own abort errors (no signal reason given).
  UND_ERR_ABORTED: ABORTED,
  UND_ERR_ABORT: ABORTED,
};

/**
 * Standard names, not messages: `signal.abort()` rejects with the signal's reason, a
 * DOMException whose `code` is the legacy number 20, so the name is the stable key.
 * `AbortSignal.timeout()` gives a `TimeoutError`: a gateway deadline, reported as a timeout.
 */
const BY_NAME: Readonly<Record<string, FailureRow>> = {
  AbortError: ABORTED,
  TimeoutError: { what: 'the gateway deadline passed', beforeHeaders: 'GW_UPSTREAM_TIMEOUT', inBody: 'GW_UPSTREAM_TIMEOUT' },
  // undici 7 builds `code` from a table that misses most llhttp errors, so it is often undefined
  // (seen: a non-HTTP reply); the class name is the stable part.
  HTTPParserError: unparseable('malformed HTTP response'),
};

const PHASE_WORDS: Readonly<Record<UpstreamPhase, string>> = {
  connect: 'upstream connect failed',
  headers: 'upstream request failed before the response headers',
  body: 'upstream response failed while reading the body',
};

/** Deepest `cause` / AggregateError chain followed; guards against cycles and pathological nesting. */
const MAX_CHAIN = 16;

/**
 * An error thrown by undici (or Node's net/tls under it) as the GatewayError the client sees.
 * The first error in the chain (outermost first, then `cause`s and AggregateError members)
 * with a known `code` or standard name decides; a GatewayError found there (an abort reason we
 * chose) is returned unchanged. The original error is kept as `cause` for the logs only.
 */
export function classifyUpstreamFailure(error: unknown, phase: UpstreamPhase): GatewayError {
  for (const link of errorChain(error)) {
    if (GatewayError.is(link)) return link;
    const code = stringProp(link, 'code');
    const row = (code !== undefined ? rowForCode(code) : undefined) ?? BY_NAME[stringProp(link, 'name') ?? ''];
    if (row) return build(row, phase, code ?? stringProp(link, 'name'), error);
  }
  const label = stringProp(error, 'code') ?? stringProp(error, 'name') ?? typeof error;
  return new GatewayError('GW_UPSTREAM_ERROR', { message: `${PHASE_WORDS[phase]}: unexpected error (${label})`, cause: error });
}

function rowForCode(code: string): FailureRow | undefined {
  if (Object.hasOwn(BY_CODE, code)) return BY_CODE[code];
  // llhttp parser errors (HPE_INVALID_CONSTANT, HPE_INVALID_CHUNK_SIZE…): not HTTP we can read.
  if (code.startsWith('HPE_')) return unparseable('malformed HTTP response');
  return undefined;
}

function build(row: FailureRow, phase: UpstreamPhase, label: string | undefined, cause: unknown): GatewayError {
  const code = phase === 'body' ? row.inBody : row.beforeHeaders;
  return new GatewayError(code, {
    message: `${PHASE_WORDS[phase]}: ${row.what}${label ? ` (${label})` : ''}`,
    cause,
    headers: row.deterministic ? { 'x-should-retry': 'false' } : {},
  });
}

/** Breadth-first over `cause` and AggregateError `errors`, outermost first, each object once. */
function errorChain(error: unknown): unknown[] {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  const chain: unknown[] = [];
  while (queue.length > 0 && chain.length < MAX_CHAIN) {
    const current = queue.shift();
    if (current === undefined || current === null || seen.has(current)) continue;
    seen.add(current);
    chain.push(current);
    if (typeof current !== 'object') continue;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return chain;
}

function stringProp(value: unknown, key: 'code' | 'name'): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const prop = (value as Record<string, unknown>)[key];
  return typeof prop === 'string' && prop !== '' ? prop : undefined;
}

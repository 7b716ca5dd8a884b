/**
 * Stable error codes. A code never changes meaning once shipped: logs, metrics and
 * dashboards key on it. The error policy is this one table: each code has one HTTP status and
 * one Anthropic error type (so the client-visible shape of a failure is decided here and
 * nowhere else), and says whether it is retried, counts toward the provider's circuit breaker,
 * allows a fallback to the route's next target, and which request outcome it records.
 */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

/**
 * How a request that failed with a code counts in `turnout_requests_total{outcome}` and the
 * request log: the client's fault, the upstream's, ours, or nobody's (the client left).
 */
export type ErrorOutcome = 'client_error' | 'upstream_error' | 'gateway_error' | 'client_aborted';

export interface ErrorCodeSpec {
  /** The HTTP status the client gets. */
  readonly status: number;
  /** The Anthropic `error.type` the client gets. */
  readonly type: AnthropicErrorType;
  /**
   * Worth another try on the same upstream while nothing has reached the client. Each such code
   * means the upstream never started on the request or said it was busy:
   * - GW_UPSTREAM_UNREACHABLE: refused, reset, DNS, socket closed before the response head.
   *   Its deterministic members (bad TLS certificates) carry `x-should-retry: false`.
   * - GW_UPSTREAM_CONNECT_TIMEOUT: the connect-phase timeout. upstream-failure.ts gives the
   *   connect phase its own code, so this is the whole "timeout only if connect-phase" rule.
   * - GW_UPSTREAM_RATE_LIMITED (429), GW_UPSTREAM_OVERLOADED (503/529), GW_UPSTREAM_ERROR (other
   *   5xx; 501/505 and non-error statuses carry `x-should-retry: false`).
   *
   * Deliberately not: GW_UPSTREAM_TIMEOUT (a gateway deadline or an upstream 408/504),
   * FIRST_BYTE/IDLE/TOTAL timeouts (the upstream accepted the request and was slow: a retry
   * re-runs the whole prefill on a server that is already struggling and doubles the client's
   * wait; a fallback target is the better move), every 4xx but 429 (context overflow is a
   * GW_UPSTREAM_BAD_REQUEST), GW_UPSTREAM_PROTOCOL and GW_UPSTREAM_STREAM_ENDED (the reply was
   * broken or cut; a retry tends to repeat it), GW_CLIENT_ABORTED (nobody is waiting), and
   * Turnout's own GW_CIRCUIT_OPEN / GW_QUEUE_* (the same upstream would say no again).
   */
  readonly retryable: boolean;
  /**
   * Counts against the provider's circuit breaker (Envoy's outlier detection): an upstream fault
   * (unreachable, timed out, a broken or 5xx reply, overloaded), never a 4xx; a 429 is a back-off.
   */
  readonly breaker: boolean;
  /**
   * The next target of the route may be tried (nothing has reached the client): the upstream is
   * down, slow, overloaded, refused our key, lacks the model, answered garbage, or Turnout's own
   * circuit or queue for it said no. Not a request the upstream judged invalid (the next would
   * judge it the same), nor a client that left.
   */
  readonly fallback: boolean;
  /** The `outcome` metric label and log field of a request that failed with this code. */
  readonly outcome: ErrorOutcome;
  /** What the client is told when the thrower gives no message of its own. */
  readonly defaultMessage: string;
}

export const ERROR_CODES = {
  GW_INVALID_REQUEST: { status: 400, type: 'invalid_request_error', retryable: false, breaker: false, fallback: false, outcome: 'client_error', defaultMessage: 'Invalid request' },
  GW_AUTHENTICATION: { status: 401, type: 'authentication_error', retryable: false, breaker: false, fallback: false, outcome: 'client_error', defaultMessage: 'Authentication error' },
  GW_PERMISSION: { status: 403, type: 'permission_error', retryable: false, breaker: false, fallback: false, outcome: 'client_error', defaultMessage: 'Permission denied' },
  // A gateway key over its per-minute limits (issue 6); retry-after says when the window turns.
  GW_RATE_LIMITED: { status: 429, type: 'rate_limit_error', retryable: false, breaker: false, fallback: false, outcome: 'client_error', defaultMessage: 'Rate limit exceeded for this key' },
  GW_NOT_FOUND: { status: 404, type: 'not_found_error', retryable: false, breaker: false, fallback: false, outcome: 'client_error', defaultMessage: 'Not found' },
  GW_ROUTE_NOT_FOUND: { status: 404, type: 'not_found_error', retryable: false, breaker: false, fallback: false, outcome: 'client_error', defaultMessage: 'No route matches this model' },
  GW_BODY_TOO_LARGE: { status: 413, type: 'request_too_large', retryable: false, breaker: false, fallback: false, outcome: 'client_error', defaultMessage: 'Request exceeds the maximum allowed size' },
  GW_UPSTREAM_BAD_REQUEST: { status: 400, type: 'invalid_request_error', retryable: false, breaker: false, fallback: false, outcome: 'upstream_error', defaultMessage: 'The upstream rejected the request' },
  GW_UPSTREAM_MODEL_NOT_FOUND: { status: 404, type: 'not_found_error', retryable: false, breaker: false, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream does not know this model' },
  GW_UPSTREAM_TOO_LARGE: { status: 413, type: 'request_too_large', retryable: false, breaker: false, fallback: false, outcome: 'upstream_error', defaultMessage: 'The upstream rejected the request as too large' },
  // The Anthropic API's 402 (credit balance too low): the operator must act, not the user.
  GW_UPSTREAM_BILLING: { status: 402, type: 'billing_error', retryable: false, breaker: false, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream account has a billing problem' },
  GW_UPSTREAM_RATE_LIMITED: { status: 429, type: 'rate_limit_error', retryable: true, breaker: false, fallback: true, outcome: 'upstream_error', defaultMessage: 'Rate limited by the upstream' },
  GW_UPSTREAM_OVERLOADED: { status: 529, type: 'overloaded_error', retryable: true, breaker: true, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream is overloaded' },
  GW_UPSTREAM_AUTH: { status: 502, type: 'api_error', retryable: false, breaker: false, fallback: true, outcome: 'upstream_error', defaultMessage: 'The gateway could not authenticate to the upstream' },
  GW_UPSTREAM_ERROR: { status: 500, type: 'api_error', retryable: true, breaker: true, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream failed' },
  GW_UPSTREAM_UNREACHABLE: { status: 502, type: 'api_error', retryable: true, breaker: true, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream could not be reached' },
  GW_UPSTREAM_TIMEOUT: { status: 504, type: 'timeout_error', retryable: false, breaker: true, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream timed out' },
  // Each of the gateway's own timeouts is its own code (and metric value): an operator tuning
  // them must see which one fired. A connect timeout means the host never answered: 502.
  GW_UPSTREAM_CONNECT_TIMEOUT: { status: 502, type: 'api_error', retryable: true, breaker: true, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream did not accept the connection in time' },
  GW_UPSTREAM_FIRST_BYTE_TIMEOUT: { status: 504, type: 'timeout_error', retryable: false, breaker: true, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream sent no response within the first-byte timeout' },
  GW_UPSTREAM_IDLE_TIMEOUT: { status: 504, type: 'timeout_error', retryable: false, breaker: true, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream went silent for longer than the idle timeout' },
  GW_UPSTREAM_TOTAL_TIMEOUT: { status: 504, type: 'timeout_error', retryable: false, breaker: true, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream exchange exceeded the total timeout' },
  GW_UPSTREAM_PROTOCOL: { status: 502, type: 'api_error', retryable: false, breaker: true, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream sent output the gateway cannot parse' },
  GW_UPSTREAM_STREAM_ENDED: { status: 502, type: 'api_error', retryable: false, breaker: true, fallback: true, outcome: 'upstream_error', defaultMessage: 'The upstream stream ended unexpectedly' },
  // The client went away and its AbortSignal cancelled the upstream call. Rendered to nobody
  // (the socket is gone); it exists so logs and metrics say "client_aborted", not "upstream
  // failed". 499 is nginx's and Ollama's "client closed request"; the type is the generic 4xx one
  // (docs/protocol.md §4.1), so if it is ever rendered the SDK sees a non-retried client error.
  GW_CLIENT_ABORTED: { status: 499, type: 'invalid_request_error', retryable: false, breaker: false, fallback: false, outcome: 'client_aborted', defaultMessage: 'The client closed the request' },
  // Turnout's own protection of an upstream (issue 6): its circuit is open after repeated
  // failures, or all its slots are busy and the wait queue is full or waited too long. 529 so
  // the SDK backs off and retries, as it does for Anthropic's own overload.
  GW_CIRCUIT_OPEN: { status: 529, type: 'overloaded_error', retryable: false, breaker: false, fallback: true, outcome: 'gateway_error', defaultMessage: 'The upstream is failing; Turnout stopped sending it requests for a while' },
  GW_QUEUE_FULL: { status: 529, type: 'overloaded_error', retryable: false, breaker: false, fallback: true, outcome: 'gateway_error', defaultMessage: 'All slots of the upstream are busy and its wait queue is full' },
  GW_QUEUE_TIMEOUT: { status: 529, type: 'overloaded_error', retryable: false, breaker: false, fallback: true, outcome: 'gateway_error', defaultMessage: 'No slot of the upstream became free within the wait limit' },
  GW_SHUTTING_DOWN: { status: 529, type: 'overloaded_error', retryable: false, breaker: false, fallback: false, outcome: 'gateway_error', defaultMessage: 'This gateway is shutting down; retry the request' },
  GW_CONFIG_UNAVAILABLE: { status: 503, type: 'overloaded_error', retryable: false, breaker: false, fallback: false, outcome: 'gateway_error', defaultMessage: 'Routing configuration is not available' },
  // Admin API writes. A stale If-Match is the HTTP 409 a REST client expects; Anthropic has no
  // conflict type, so the body says invalid_request_error (the request as sent cannot succeed).
  GW_CONFIG_CONFLICT: { status: 409, type: 'invalid_request_error', retryable: false, breaker: false, fallback: false, outcome: 'client_error', defaultMessage: 'The config changed since the revision you read' },
  GW_CONFIG_INVALID: { status: 400, type: 'invalid_request_error', retryable: false, breaker: false, fallback: false, outcome: 'client_error', defaultMessage: 'The config document is invalid' },
  GW_CONFIG_READ_ONLY: { status: 409, type: 'invalid_request_error', retryable: false, breaker: false, fallback: false, outcome: 'client_error', defaultMessage: 'The config is read from a file; set REDIS_URL to change it live' },
  GW_CONFIG_STORE_UNAVAILABLE: { status: 503, type: 'api_error', retryable: false, breaker: false, fallback: false, outcome: 'gateway_error', defaultMessage: 'The config store (Redis) is unreachable; nothing was written' },
  GW_NOT_IMPLEMENTED: { status: 501, type: 'api_error', retryable: false, breaker: false, fallback: false, outcome: 'gateway_error', defaultMessage: 'Not implemented by this gateway build' },
  GW_INTERNAL: { status: 500, type: 'api_error', retryable: false, breaker: false, fallback: false, outcome: 'gateway_error', defaultMessage: 'Internal server error' },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

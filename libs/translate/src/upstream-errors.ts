import { ERROR_CODES, GatewayError, type ErrorCode } from '@turnout/errors';
import { isRecord } from '@turnout/protocol';

/**
 * Upstream HTTP errors → the GatewayError the Anthropic client sees (docs/protocol.md §7.8).
 *
 * The status an upstream picks is only a hint: llama-server answers most validation failures
 * with 500 (a retried 500 would repeat a doomed request three times), vLLM puts non-Anthropic
 * type strings in Anthropic envelopes, and every server words context overflow differently.
 * So the decision is one ordered rule table over facts read from the body; the first rule
 * that matches wins. Anthropic `error.type` always follows from the chosen code (i.e. from
 * our status), never from the upstream's type string.
 */

/** Longest piece of upstream text copied into a client-visible message (bodies can be whole HTML pages or tracebacks). */
export const MAX_UPSTREAM_MESSAGE_CHARS = 2048;

/** Token figures found in a context-overflow error; any of them may be missing. */
export interface ContextOverflow {
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  /** prompt + completion, when the upstream only gives the sum (vLLM ≤ 0.10 without a breakdown). */
  readonly totalTokens?: number;
  readonly limit?: number;
}

/** What the rules look at: read once from the status and body. */
export interface UpstreamErrorFacts {
  readonly status: number;
  /** The human message found in the body, credentials redacted, not yet truncated; '' if none. */
  readonly detail: string;
  /** The upstream's own type/code strings (`exceed_context_size_error`, `context_length_exceeded`). */
  readonly upstreamKinds: readonly string[];
  /** Set when the body says the prompt does not fit the model's context. */
  readonly contextOverflow: ContextOverflow | undefined;
}

export interface UpstreamErrorRule {
  /** Stable name: a bounded label for logs and metrics, and how the spec proves each row is exercised. */
  readonly name: string;
  readonly when: (facts: UpstreamErrorFacts) => boolean;
  readonly code: ErrorCode;
  /** Full client message; the default is `upstream (HTTP n): <detail>`. */
  readonly message?: (facts: UpstreamErrorFacts) => string;
  /** Copy `retry-after` / `retry-after-ms` so the SDK waits as long as the upstream asked. */
  readonly copyRetryAfter?: true;
  /**
   * Send `x-should-retry: false` (docs/protocol.md §4.2): the failure will repeat, and the SDK would
   * otherwise retry this 5xx twice, each time re-running a possibly long prefill for nothing.
   */
  readonly deterministic?: true;
}

const statusIn =
  (...statuses: number[]) =>
  (facts: UpstreamErrorFacts): boolean =>
    statuses.includes(facts.status);
const statusBetween =
  (low: number, high: number) =>
  (facts: UpstreamErrorFacts): boolean =>
    facts.status >= low && facts.status <= high;
const detailMatches = (patterns: readonly RegExp[], facts: UpstreamErrorFacts): boolean =>
  patterns.some((pattern) => pattern.test(facts.detail));

/** Statuses under which a body-based reclassification is trusted (not 401/403/429/503: those mean what they say). */
const REWORDABLE = [400, 413, 422, 500];

/**
 * Failures caused by the request itself that some servers report as 500. Retrying cannot help,
 * and a 400 tells the user to change the request (docs/protocol.md §10 E4).
 */
const CLIENT_CAUSED: readonly RegExp[] = [
  /\b(?:image|audio) input is not supported\b/i, // llama.cpp without --mmproj (500)
  /'messages' is required/i, // llama.cpp (500)
  /\[json\.exception\.(?:parse|type)_error\.\d+\]/i, // llama.cpp nlohmann parse/type errors of the body it got (500)
  /\bunsupported param\b/i, // llama.cpp OpenAI-compat param check
  /\brequires --jinja\b/i, // llama.cpp tools without a Jinja template
  /\bdoes not support (?:tools|thinking|vision|images?|insert|completion|embedding|chat)\b/i, // Ollama, LM Studio
];

/** Ollama words a missing model in the body and has varied the status across releases. */
const MODEL_NOT_FOUND: readonly RegExp[] = [/\bmodel ["'`][^"'`]+["'`] not found\b/i, /not found, try pulling it first/i];

/**
 * The table (docs/protocol.md §7.8), most specific first. Body-based rows come before status rows
 * because a server's status is less reliable than its words (llama.cpp 500 "'messages' is required").
 */
export const UPSTREAM_HTTP_ERROR_RULES: readonly UpstreamErrorRule[] = [
  {
    name: 'context-overflow',
    when: (facts) => facts.contextOverflow !== undefined && REWORDABLE.includes(facts.status),
    code: 'GW_UPSTREAM_BAD_REQUEST',
    message: contextOverflowMessage,
  },
  {
    name: 'client-caused',
    when: (facts) => REWORDABLE.includes(facts.status) && detailMatches(CLIENT_CAUSED, facts),
    code: 'GW_UPSTREAM_BAD_REQUEST',
  },
  {
    name: 'model-not-found-message',
    when: (facts) => [400, 404, 500].includes(facts.status) && detailMatches(MODEL_NOT_FOUND, facts),
    code: 'GW_UPSTREAM_MODEL_NOT_FOUND',
  },
  {
    // The gateway's own credential was refused. Never answer 401/403: Claude Code would tell
    // the user to log in again, and the user's login is fine. Retrying cannot fix a bad key.
    name: 'auth',
    when: statusIn(401, 403),
    code: 'GW_UPSTREAM_AUTH',
    message: (facts) => `${prefix(facts)}the upstream rejected the gateway's credentials: ${detailOrDefault(facts, 'GW_UPSTREAM_AUTH')}`,
    deterministic: true,
  },
  { name: 'not-found', when: statusIn(404), code: 'GW_UPSTREAM_MODEL_NOT_FOUND' },
  { name: 'timeout', when: statusIn(408, 504), code: 'GW_UPSTREAM_TIMEOUT' },
  { name: 'too-large', when: statusIn(413), code: 'GW_UPSTREAM_TOO_LARGE' },
  { name: 'rate-limited', when: statusIn(429), code: 'GW_UPSTREAM_RATE_LIMITED', copyRetryAfter: true },
  // 400, 422 and every other 4xx (402, 405, 409, 415…): the request is what failed, so no retry.
  { name: 'bad-request', when: statusBetween(400, 499), code: 'GW_UPSTREAM_BAD_REQUEST' },
  // Ollama queue full, vLLM overloaded, llama.cpp "Loading model", Anthropic 529: transient.
  { name: 'overloaded', when: statusIn(503, 529), code: 'GW_UPSTREAM_OVERLOADED', copyRetryAfter: true },
  // 501 Not Implemented / 505: the same request will fail the same way.
  { name: 'not-implemented', when: statusIn(501, 505), code: 'GW_UPSTREAM_ERROR', deterministic: true },
  // Unclassified 5xx stay retryable: local servers fail transiently (OOM, a sampled output
  // their parser rejects), and the SDK's two retries are the right default there.
  { name: 'server-error', when: statusBetween(500, 599), code: 'GW_UPSTREAM_ERROR' },
  // Not an error status at all (a 3xx from a misconfigured base URL): a config problem, not transient.
  { name: 'unexpected-status', when: () => true, code: 'GW_UPSTREAM_ERROR', deterministic: true },
];

/** The rule that decided, with its error: the name is a bounded label worth logging. */
export function explainUpstreamHttpError(
  status: number,
  bodyText: string,
  headers: Readonly<Record<string, string>>,
): { readonly rule: string; readonly error: GatewayError } {
  const facts = readFacts(status, bodyText);
  const rule = UPSTREAM_HTTP_ERROR_RULES.find((candidate) => candidate.when(facts)) as UpstreamErrorRule;
  const responseHeaders: Record<string, string> = {
    ...(rule.copyRetryAfter ? retryAfterHeaders(headers) : {}),
    ...(rule.deterministic ? { 'x-should-retry': 'false' } : {}),
  };
  const message = rule.message ? rule.message(facts) : `${prefix(facts)}${detailOrDefault(facts, rule.code)}`;
  return { rule: rule.name, error: new GatewayError(rule.code, { message, headers: responseHeaders, upstreamStatus: status }) };
}

/** An upstream HTTP error (status, raw body text, lower-cased headers) as the error the client should see. */
export function mapUpstreamHttpError(status: number, bodyText: string, headers: Readonly<Record<string, string>>): GatewayError {
  return explainUpstreamHttpError(status, bodyText, headers).error;
}

// ---------------------------------------------------------------------------------------------
// Facts

function readFacts(status: number, bodyText: string): UpstreamErrorFacts {
  const trimmed = bodyText.trim();
  const json = parseJson(trimmed);
  const detail = redactCredentials(json === undefined ? plainTextMessage(trimmed) : (messageFromJson(json) ?? trimmed));
  const upstreamKinds = kindsFromJson(json);
  return { status, detail, upstreamKinds, contextOverflow: readContextOverflow(json, detail, upstreamKinds) };
}

function parseJson(text: string): unknown {
  if (!text.startsWith('{') && !text.startsWith('[') && !text.startsWith('"')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // a truncated or non-JSON body is still text worth showing
  }
}

/**
 * Every error shape seen upstream: `{"error":{"message"}}` (OpenAI, llama.cpp, LM Studio, and the
 * Anthropic envelope `{"type":"error","error":{…}}`), `{"error":"…"}` (Ollama), `{"detail":…}`
 * (FastAPI: a string or a list of `{loc,msg}`), `{"message":…}` (older vLLM ErrorResponse,
 * llama.cpp's bare mid-stream object), or a JSON string.
 */
function messageFromJson(json: unknown): string | undefined {
  if (typeof json === 'string') return json.trim() || undefined;
  if (!isRecord(json)) return undefined;
  const { error, detail, message } = json;
  if (typeof error === 'string' && error.trim()) return error.trim();
  if (isRecord(error) && typeof error.message === 'string' && error.message.trim()) return error.message.trim();
  if (typeof detail === 'string' && detail.trim()) return detail.trim();
  if (Array.isArray(detail)) {
    const items = detail.map(fastApiItem).filter((item): item is string => item !== undefined);
    if (items.length > 0) return items.join('; ');
  }
  if (isRecord(detail) && typeof detail.message === 'string') return detail.message.trim() || undefined;
  if (typeof message === 'string' && message.trim()) return message.trim();
  return undefined;
}

/** FastAPI/pydantic `{"loc":["body","messages",0],"msg":"Field required","input":…}`; `input` is dropped (it echoes the request). */
function fastApiItem(item: unknown): string | undefined {
  if (!isRecord(item) || typeof item.msg !== 'string') return undefined;
  const loc = Array.isArray(item.loc) ? item.loc.filter((part) => part !== 'body').join('.') : '';
  return loc ? `${loc}: ${item.msg}` : item.msg;
}

/** Proxies in front of a model server answer with HTML error pages; the title is the useful part. */
function plainTextMessage(text: string): string {
  if (!/^<(?:!doctype|html)/i.test(text)) return text;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  return title ? `${title} (HTML error page)` : 'an HTML error page';
}

function kindsFromJson(json: unknown): string[] {
  const kinds: string[] = [];
  for (const source of [json, isRecord(json) ? json.error : undefined]) {
    if (!isRecord(source)) continue;
    for (const key of ['type', 'code']) {
      if (typeof source[key] === 'string') kinds.push(source[key] as string);
    }
  }
  return kinds;
}

// ---------------------------------------------------------------------------------------------
// Context overflow

/** Wordings that mean "the prompt does not fit", from each server's source or recordings. */
const CONTEXT_SIGNALS: readonly RegExp[] = [
  /maximum context length is \d+/i, // vLLM (all versions), OpenAI
  /longer than the maximum model length/i, // vLLM engine check
  /exceeds? the available context size/i, // llama.cpp (old wording had no numbers)
  /input length exceeds the context length/i, // Ollama
  /greater than the context length|context length of only \d+/i, // LM Studio
  /exceeds? (?:the )?(?:model's )?context window/i,
  /^prompt is too long/i, // Anthropic
  /exceed context limit: /i, // Anthropic (input + max_tokens)
];
const CONTEXT_KINDS = ['exceed_context_size_error', 'context_length_exceeded'];

const LIMIT_PATTERNS: readonly RegExp[] = [
  /maximum context length is (\d+)/i,
  /maximum model length of (\d+)/i,
  /available context size \((\d+) tokens\)/i,
  /context length of only (\d+)/i,
  /tokens > (\d+) maximum/i,
  /exceed context limit: \d+ \+ \d+ > (\d+)/i,
];
const PROMPT_PATTERNS: readonly RegExp[] = [
  /\b(\d+) in the (?:messages|prompt)\b/i, // vLLM ≤ 0.10: "(4000 in the messages, 1010 in the completion)"
  /your request has (\d+) input tokens/i, // vLLM
  /your prompt contains (?:at least )?(\d+) input tokens/i, // vLLM renderer
  /your messages resulted in (\d+) tokens/i, // OpenAI
  /decoder prompt \(length (\d+)\)/i, // vLLM engine
  /request \((\d+) tokens\) exceeds/i, // llama.cpp
  /keep the first (\d+) tokens/i, // LM Studio
  /prompt is too long: (\d+) tokens/i, // Anthropic
  /exceed context limit: (\d+) \+/i, // Anthropic
];
const COMPLETION_PATTERNS: readonly RegExp[] = [
  /\b(\d+) (?:in|for) the completion\b/i,
  /you requested (\d+) output tokens/i,
  /'max_tokens' or 'max_completion_tokens' is too large: (\d+)/i,
  /exceed context limit: \d+ \+ (\d+)/i,
];
const TOTAL_PATTERNS: readonly RegExp[] = [/you requested (\d+) tokens/i];

function readContextOverflow(json: unknown, detail: string, kinds: readonly string[]): ContextOverflow | undefined {
  if (!kinds.some((kind) => CONTEXT_KINDS.includes(kind)) && !CONTEXT_SIGNALS.some((signal) => signal.test(detail))) {
    return undefined;
  }
  // llama.cpp says it in fields; trust them over the prose.
  const error = isRecord(json) && isRecord(json.error) ? json.error : {};
  return {
    promptTokens: positiveInt(error.n_prompt_tokens) ?? firstNumber(PROMPT_PATTERNS, detail),
    completionTokens: firstNumber(COMPLETION_PATTERNS, detail),
    totalTokens: firstNumber(TOTAL_PATTERNS, detail),
    limit: positiveInt(error.n_ctx) ?? firstNumber(LIMIT_PATTERNS, detail),
  };
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function firstNumber(patterns: readonly RegExp[], text: string): number | undefined {
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) return positiveInt(Number(match[1]));
  }
  return undefined;
}

/**
 * Anthropic's own wordings (docs/protocol.md §4.3), which Claude Code parses: "prompt is too long:
 * N tokens > M maximum" makes it compact, "input length and `max_tokens` exceed context limit:
 * N + O > M" makes it retry with a smaller max_tokens. So the Anthropic text comes first and
 * the upstream's words follow in parentheses.
 */
function contextOverflowMessage(facts: UpstreamErrorFacts): string {
  const { promptTokens: prompt, completionTokens: completion, totalTokens: total, limit } = facts.contextOverflow ?? {};
  let head = 'prompt is too long: the model context window is exceeded';
  if (prompt !== undefined && limit !== undefined && prompt >= limit) {
    head = `prompt is too long: ${prompt} tokens > ${limit} maximum`;
  } else if (prompt !== undefined && completion !== undefined && limit !== undefined) {
    head = `input length and \`max_tokens\` exceed context limit: ${prompt} + ${completion} > ${limit}, decrease input length or \`max_tokens\` and try again`;
  } else if (total !== undefined && limit !== undefined && total > limit) {
    // Only the sum is known; reporting it as the prompt still points Claude Code at compaction.
    head = `prompt is too long: ${total} tokens > ${limit} maximum`;
  }
  return `${head} (${prefix(facts)}${truncate(facts.detail)})`;
}

// ---------------------------------------------------------------------------------------------
// Message text and headers

function prefix(facts: UpstreamErrorFacts): string {
  return `upstream (HTTP ${facts.status}): `;
}

function detailOrDefault(facts: UpstreamErrorFacts, code: ErrorCode): string {
  return facts.detail ? truncate(facts.detail) : ERROR_CODES[code].defaultMessage;
}

function truncate(text: string): string {
  if (text.length <= MAX_UPSTREAM_MESSAGE_CHARS) return text;
  let cut = text.slice(0, MAX_UPSTREAM_MESSAGE_CHARS);
  // Never end on half a surrogate pair: the JSON renderer would emit a lone surrogate.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}… (${text.length - cut.length} more characters)`;
}

/**
 * Upstream bodies sometimes echo what they were sent ("Incorrect API key provided: sk-…",
 * a base URL with user:password). The gateway's credential must never reach a client.
 */
function redactCredentials(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, '$1***@')
    // A token has a digit; "Bearer authentication required" is prose and stays.
    .replace(/\b(bearer)\s+(?=[a-z._~+/=-]*\d)[a-z0-9._~+/=-]{6,}/gi, '$1 ***')
    .replace(/\b(sk|sk-ant|sk-proj|hf|gsk|xai)[-_][a-z0-9_-]{8,}/gi, '$1-***')
    .replace(/([?&](?:api[_-]?key|key|token|access_token)=)[^&\s"']+/gi, '$1***');
}

function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  if (headers[name] !== undefined) return headers[name];
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** Only well-formed values are copied: the SDK parses them, and a bad one would be our doing. */
function retryAfterHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const seconds = header(headers, 'retry-after')?.trim();
  if (seconds && (/^\d+$/.test(seconds) || !Number.isNaN(Date.parse(seconds)))) out['retry-after'] = seconds;
  const millis = header(headers, 'retry-after-ms')?.trim();
  if (millis && /^\d+(?:\.\d+)?$/.test(millis)) out['retry-after-ms'] = millis;
  return out;
}

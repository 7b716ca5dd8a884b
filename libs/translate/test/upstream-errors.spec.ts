import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnthropicErrorType, ErrorCode } from '@turnout/errors';
import {
  explainUpstreamHttpError,
  mapUpstreamHttpError,
  MAX_UPSTREAM_MESSAGE_CHARS,
  UPSTREAM_HTTP_ERROR_RULES,
} from '../src/upstream-errors';

/** Real llama-server bodies (see fixtures/upstream-errors/README.md for provenance and statuses). */
const llama = (name: string): string =>
  readFileSync(join(__dirname, 'fixtures', 'upstream-errors', `llama-server.${name}.response.json`), 'utf8');

const json = (value: unknown): string => JSON.stringify(value);

interface Case {
  readonly name: string;
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The table row expected to decide. */
  readonly rule: string;
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly type: AnthropicErrorType;
  /** The exact client message, or a pattern it must match. */
  readonly message: string | RegExp;
  readonly responseHeaders?: Readonly<Record<string, string>>;
}

const NO_RETRY = { 'x-should-retry': 'false' };

const cases: readonly Case[] = [
  // --- context overflow: Anthropic wording first, so Claude Code compacts or lowers max_tokens.
  {
    name: 'llama.cpp 400 exceed_context_size_error (real)',
    status: 400,
    body: llama('messages-error-context-overflow'),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message:
      'prompt is too long: 5010 tokens > 4096 maximum (upstream (HTTP 400): request (5010 tokens) exceeds the available context size (4096 tokens), try increasing it)',
  },
  {
    name: 'vLLM ≤ 0.10 flat ErrorResponse, prompt fits but prompt + max_tokens does not',
    status: 400,
    body: json({
      object: 'error',
      message:
        "This model's maximum context length is 4096 tokens. However, you requested 5010 tokens (3000 in the messages, 2010 in the completion). Please reduce the length of the messages or completion.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    }),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: /^input length and `max_tokens` exceed context limit: 3000 \+ 2010 > 4096, decrease input length or `max_tokens` and try again \(upstream \(HTTP 400\): This model's/,
  },
  {
    name: 'vLLM "your request has N input tokens"',
    status: 400,
    body: json({
      error: {
        message: "This model's maximum context length is 4096 tokens. However, your request has 5010 input tokens. Please reduce the length of the input messages.",
        type: 'BadRequestError',
        param: 'input_tokens',
        code: 400,
      },
    }),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: /^prompt is too long: 5010 tokens > 4096 maximum \(upstream/,
  },
  {
    name: 'vLLM renderer "you requested O output tokens and your prompt contains at least N input tokens"',
    status: 400,
    body: json({
      error: {
        message:
          "This model's maximum context length is 4096 tokens. However, you requested 1024 output tokens and your prompt contains at least 4097 input tokens, for a total of at least 5121 tokens. Please reduce the length of the input prompt or the number of requested output tokens.",
        type: 'BadRequestError',
        code: 400,
      },
    }),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: /^prompt is too long: 4097 tokens > 4096 maximum \(/,
  },
  {
    name: "vLLM \"'max_tokens' or 'max_completion_tokens' is too large\"",
    status: 400,
    body: json({
      error: {
        message:
          "'max_tokens' or 'max_completion_tokens' is too large: 2000. This model's maximum context length is 4096 tokens and your request has 3000 input tokens (2000 > 4096 - 3000).",
        type: 'BadRequestError',
        code: 400,
      },
    }),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: /^input length and `max_tokens` exceed context limit: 3000 \+ 2000 > 4096, /,
  },
  {
    name: 'vLLM Anthropic route: envelope with a non-Anthropic type and only the total known',
    status: 400,
    body: json({
      type: 'error',
      error: {
        type: 'BadRequestError',
        message: "This model's maximum context length is 4096 tokens. However, you requested 5010 tokens. Please reduce the length of the messages.",
      },
    }),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: /^prompt is too long: 5010 tokens > 4096 maximum \(/,
  },
  {
    name: 'vLLM engine "decoder prompt is longer than the maximum model length"',
    status: 400,
    body: json({
      error: {
        message: 'The decoder prompt (length 5010) is longer than the maximum model length of 4096. Make sure that `max_model_len` is no smaller than the number of text tokens.',
        type: 'BadRequestError',
      },
    }),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: /^prompt is too long: 5010 tokens > 4096 maximum \(/,
  },
  {
    name: 'OpenAI context_length_exceeded',
    status: 400,
    body: json({
      error: {
        message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    }),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: /^prompt is too long: 130000 tokens > 128000 maximum \(/,
  },
  {
    name: 'Ollama "input length exceeds the context length" (no numbers)',
    status: 400,
    body: json({ error: 'the input length exceeds the context length' }),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: 'prompt is too long: the model context window is exceeded (upstream (HTTP 400): the input length exceeds the context length)',
  },
  {
    name: 'Ollama context overflow sent as 413 is still a context error, not request_too_large',
    status: 413,
    body: json({ error: 'the input length exceeds the context length' }),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: /^prompt is too long: /,
  },
  {
    name: 'LM Studio "context length of only N"',
    status: 400,
    body: json({
      error:
        'Trying to keep the first 5010 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input',
    }),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: /^prompt is too long: 5010 tokens > 4096 maximum \(/,
  },
  {
    name: 'Anthropic upstream wording is kept',
    status: 400,
    body: json({ type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 209452 tokens > 200000 maximum' }, request_id: 'req_1' }),
    rule: 'context-overflow',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: 'prompt is too long: 209452 tokens > 200000 maximum (upstream (HTTP 400): prompt is too long: 209452 tokens > 200000 maximum)',
  },

  // --- client-caused failures that servers report as 500.
  {
    name: 'llama.cpp 500 image to a text-only model, /v1/messages (real)',
    status: 500,
    body: llama('messages-error-image'),
    rule: 'client-caused',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: 'upstream (HTTP 500): image input is not supported - hint: if this is unexpected, you may need to provide the mmproj',
  },
  {
    name: 'llama.cpp 500 image to a text-only model, chat route (real)',
    status: 500,
    body: llama('chat-error-image'),
    rule: 'client-caused',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: /^upstream \(HTTP 500\): image input is not supported/,
  },
  {
    name: "llama.cpp 500 \"'messages' is required\" (real)",
    status: 500,
    body: llama('messages-error-missing-messages'),
    rule: 'client-caused',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: "upstream (HTTP 500): 'messages' is required",
  },
  {
    name: 'llama.cpp 500 JSON parse error of the body it got (real)',
    status: 500,
    body: llama('messages-error-invalid-json'),
    rule: 'client-caused',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: /^upstream \(HTTP 500\): \[json\.exception\.parse_error\.101\] parse error at line 1, column 10/,
  },
  {
    name: 'Ollama 400 "does not support tools"',
    status: 400,
    body: json({ error: 'registry.ollama.ai/library/gemma3:1b does not support tools' }),
    rule: 'client-caused',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: 'upstream (HTTP 400): registry.ollama.ai/library/gemma3:1b does not support tools',
  },
  {
    name: 'Ollama "does not support thinking" sent as 500',
    status: 500,
    body: json({ error: '"qwen2.5:0.5b" does not support thinking' }),
    rule: 'client-caused',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: 'upstream (HTTP 500): "qwen2.5:0.5b" does not support thinking',
  },
  {
    name: 'LM Studio 500 "does not support images"',
    status: 500,
    body: json({ error: { message: 'Model does not support images. Please use a model that does.', type: 'invalid_request_error' } }),
    rule: 'client-caused',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: 'upstream (HTTP 500): Model does not support images. Please use a model that does.',
  },

  // --- model not found.
  {
    name: "Ollama 404 \"model 'x' not found\"",
    status: 404,
    body: json({ error: "model 'llama9:70b' not found" }),
    rule: 'model-not-found-message',
    code: 'GW_UPSTREAM_MODEL_NOT_FOUND',
    httpStatus: 404,
    type: 'not_found_error',
    message: "upstream (HTTP 404): model 'llama9:70b' not found",
  },
  {
    name: 'Ollama "try pulling it first" sent as 400',
    status: 400,
    body: json({ error: 'model "llama9" not found, try pulling it first' }),
    rule: 'model-not-found-message',
    code: 'GW_UPSTREAM_MODEL_NOT_FOUND',
    httpStatus: 404,
    type: 'not_found_error',
    message: 'upstream (HTTP 400): model "llama9" not found, try pulling it first',
  },
  {
    name: 'vLLM 404 NotFoundError',
    status: 404,
    body: json({ object: 'error', message: 'The model `qwen3` does not exist.', type: 'NotFoundError', param: 'model', code: 404 }),
    rule: 'not-found',
    code: 'GW_UPSTREAM_MODEL_NOT_FOUND',
    httpStatus: 404,
    type: 'not_found_error',
    message: 'upstream (HTTP 404): The model `qwen3` does not exist.',
  },
  {
    name: 'llama.cpp 404 unknown route (real): the upstream words say it was the path',
    status: 404,
    body: llama('not-found'),
    rule: 'not-found',
    code: 'GW_UPSTREAM_MODEL_NOT_FOUND',
    httpStatus: 404,
    type: 'not_found_error',
    message: 'upstream (HTTP 404): File Not Found',
  },

  // --- the gateway's own credential: never 401 to the client.
  {
    name: 'llama.cpp 401 Invalid API Key (real)',
    status: 401,
    body: llama('messages-error-unauthorized'),
    rule: 'auth',
    code: 'GW_UPSTREAM_AUTH',
    httpStatus: 502,
    type: 'api_error',
    message: "upstream (HTTP 401): the upstream rejected the gateway's credentials: Invalid API Key",
    responseHeaders: NO_RETRY,
  },
  {
    name: 'OpenAI-compatible 401 that echoes the key: the key is redacted',
    status: 401,
    body: json({ error: { message: 'Incorrect API key provided: sk-proj-abcdefghijklmnop1234. Sent as Bearer sk-proj-abcdefghijklmnop1234', type: 'invalid_request_error', code: 'invalid_api_key' } }),
    rule: 'auth',
    code: 'GW_UPSTREAM_AUTH',
    httpStatus: 502,
    type: 'api_error',
    message: "upstream (HTTP 401): the upstream rejected the gateway's credentials: Incorrect API key provided: sk-***. Sent as Bearer ***",
    responseHeaders: NO_RETRY,
  },
  {
    name: '403 with an empty body',
    status: 403,
    body: '',
    rule: 'auth',
    code: 'GW_UPSTREAM_AUTH',
    httpStatus: 502,
    type: 'api_error',
    message: "upstream (HTTP 403): the upstream rejected the gateway's credentials: The gateway could not authenticate to the upstream",
    responseHeaders: NO_RETRY,
  },

  // --- timeouts, size, rate limits.
  {
    name: '408 plain text',
    status: 408,
    body: 'Request Timeout',
    rule: 'timeout',
    code: 'GW_UPSTREAM_TIMEOUT',
    httpStatus: 504,
    type: 'timeout_error',
    message: 'upstream (HTTP 408): Request Timeout',
  },
  {
    name: '504 HTML page from a reverse proxy: its title is the message',
    status: 504,
    body: '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    rule: 'timeout',
    code: 'GW_UPSTREAM_TIMEOUT',
    httpStatus: 504,
    type: 'timeout_error',
    message: 'upstream (HTTP 504): 504 Gateway Time-out (HTML error page)',
  },
  {
    name: '413 Anthropic request_too_large',
    status: 413,
    body: json({ type: 'error', error: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' } }),
    rule: 'too-large',
    code: 'GW_UPSTREAM_TOO_LARGE',
    httpStatus: 413,
    type: 'request_too_large',
    message: 'upstream (HTTP 413): Request exceeds the maximum allowed number of bytes.',
  },
  {
    name: '429 copies retry-after and retry-after-ms, and no other header',
    status: 429,
    body: json({ error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }),
    headers: { 'retry-after': '7', 'retry-after-ms': '6500.5', 'set-cookie': 'session=secret', 'x-request-id': 'abc', authorization: 'Bearer sk-secret1234567' },
    rule: 'rate-limited',
    code: 'GW_UPSTREAM_RATE_LIMITED',
    httpStatus: 429,
    type: 'rate_limit_error',
    message: 'upstream (HTTP 429): Rate limit reached for requests',
    responseHeaders: { 'retry-after': '7', 'retry-after-ms': '6500.5' },
  },
  {
    name: '429 with an HTTP-date retry-after and a malformed retry-after-ms; empty body',
    status: 429,
    body: '',
    headers: { 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT', 'retry-after-ms': 'soon' },
    rule: 'rate-limited',
    code: 'GW_UPSTREAM_RATE_LIMITED',
    httpStatus: 429,
    type: 'rate_limit_error',
    message: 'upstream (HTTP 429): Rate limited by the upstream',
    responseHeaders: { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' },
  },

  // --- other 4xx.
  {
    name: '400 validation error (OpenAI shape)',
    status: 400,
    body: json({ error: { message: "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", type: 'invalid_request_error', param: 'tool_choice', code: null } }),
    rule: 'bad-request',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: "upstream (HTTP 400): Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
  },
  {
    name: '422 FastAPI detail list: loc and msg, never the echoed input',
    status: 422,
    body: json({
      detail: [
        { type: 'missing', loc: ['body', 'messages', 0, 'content'], msg: 'Field required', input: { role: 'user' } },
        { type: 'int_parsing', loc: ['body', 'max_tokens'], msg: 'Input should be a valid integer', input: 'many' },
      ],
    }),
    rule: 'bad-request',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: 'upstream (HTTP 422): messages.0.content: Field required; max_tokens: Input should be a valid integer',
  },
  {
    name: '400 FastAPI detail string',
    status: 400,
    body: json({ detail: 'Extra inputs are not permitted' }),
    rule: 'bad-request',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: 'upstream (HTTP 400): Extra inputs are not permitted',
  },
  {
    name: '409 (another 4xx) is a bad request, not retried',
    status: 409,
    body: json({ error: 'conflict' }),
    rule: 'bad-request',
    code: 'GW_UPSTREAM_BAD_REQUEST',
    httpStatus: 400,
    type: 'invalid_request_error',
    message: 'upstream (HTTP 409): conflict',
  },

  // --- overload and server errors.
  {
    name: 'Ollama 503 queue full, with retry-after',
    status: 503,
    body: json({ error: 'server busy, please try again.  maximum pending requests exceeded' }),
    headers: { 'retry-after': '2' },
    rule: 'overloaded',
    code: 'GW_UPSTREAM_OVERLOADED',
    httpStatus: 529,
    type: 'overloaded_error',
    message: 'upstream (HTTP 503): server busy, please try again.  maximum pending requests exceeded',
    responseHeaders: { 'retry-after': '2' },
  },
  {
    name: 'llama.cpp 503 while loading the model',
    status: 503,
    body: json({ error: { code: 503, message: 'Loading model', type: 'unavailable_error' } }),
    rule: 'overloaded',
    code: 'GW_UPSTREAM_OVERLOADED',
    httpStatus: 529,
    type: 'overloaded_error',
    message: 'upstream (HTTP 503): Loading model',
  },
  {
    name: 'Anthropic 529 overloaded',
    status: 529,
    body: json({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    rule: 'overloaded',
    code: 'GW_UPSTREAM_OVERLOADED',
    httpStatus: 529,
    type: 'overloaded_error',
    message: 'upstream (HTTP 529): Overloaded',
  },
  {
    name: 'llama.cpp 500 output the PEG parser rejects (real): transient, stays retryable',
    status: 500,
    body: llama('messages-error-output-parse'),
    rule: 'server-error',
    code: 'GW_UPSTREAM_ERROR',
    httpStatus: 500,
    type: 'api_error',
    message: 'upstream (HTTP 500): The model produced output that does not match the expected peg-native format',
  },
  {
    name: 'vLLM Anthropic route 500 with type internal_error is remapped to api_error',
    status: 500,
    body: json({ type: 'error', error: { type: 'internal_error', message: 'CUDA out of memory' } }),
    rule: 'server-error',
    code: 'GW_UPSTREAM_ERROR',
    httpStatus: 500,
    type: 'api_error',
    message: 'upstream (HTTP 500): CUDA out of memory',
  },
  {
    name: '502 with an empty body uses the default message',
    status: 502,
    body: '',
    rule: 'server-error',
    code: 'GW_UPSTREAM_ERROR',
    httpStatus: 500,
    type: 'api_error',
    message: 'upstream (HTTP 502): The upstream failed',
  },
  {
    name: '500 plain text, a base URL with credentials in it is redacted',
    status: 500,
    body: 'proxy error: could not reach http://admin:hunter2@10.0.0.5:8080/v1?api_key=abc123 (connection reset)\n',
    rule: 'server-error',
    code: 'GW_UPSTREAM_ERROR',
    httpStatus: 500,
    type: 'api_error',
    message: 'upstream (HTTP 500): proxy error: could not reach http://***@10.0.0.5:8080/v1?api_key=*** (connection reset)',
  },
  {
    name: 'JSON without a known message key: the raw JSON is shown',
    status: 500,
    body: json({ status: 'failure', reason: 42 }),
    rule: 'server-error',
    code: 'GW_UPSTREAM_ERROR',
    httpStatus: 500,
    type: 'api_error',
    message: 'upstream (HTTP 500): {"status":"failure","reason":42}',
  },
  {
    name: '501 is deterministic: x-should-retry false',
    status: 501,
    body: json({ error: { message: 'Not implemented', type: 'NotImplementedError' } }),
    rule: 'not-implemented',
    code: 'GW_UPSTREAM_ERROR',
    httpStatus: 500,
    type: 'api_error',
    message: 'upstream (HTTP 501): Not implemented',
    responseHeaders: NO_RETRY,
  },
  {
    name: 'a 3xx (base URL redirects) is a config error, not retried',
    status: 302,
    body: '',
    headers: { location: 'https://example.test/v1/chat/completions' },
    rule: 'unexpected-status',
    code: 'GW_UPSTREAM_ERROR',
    httpStatus: 500,
    type: 'api_error',
    message: 'upstream (HTTP 302): The upstream failed',
    responseHeaders: NO_RETRY,
  },
];

describe('mapUpstreamHttpError (docs/protocol.md §7.8)', () => {
  it.each(cases)('$name → $rule', (c) => {
    const { rule, error } = explainUpstreamHttpError(c.status, c.body, c.headers ?? {});
    expect(rule).toBe(c.rule);
    expect(error.code).toBe(c.code);
    expect(error.status).toBe(c.httpStatus);
    expect(error.anthropicType).toBe(c.type);
    expect(error.upstreamStatus).toBe(c.status);
    if (typeof c.message === 'string') expect(error.message).toBe(c.message);
    else expect(error.message).toMatch(c.message);
    expect(error.headers).toEqual(c.responseHeaders ?? {});
    // The public entry point gives the same error.
    expect(mapUpstreamHttpError(c.status, c.body, c.headers ?? {}).message).toBe(error.message);
  });

  it('exercises every row of the table', () => {
    const hit = new Set(cases.map((c) => c.rule));
    expect(UPSTREAM_HTTP_ERROR_RULES.map((r) => r.name).filter((name) => !hit.has(name))).toEqual([]);
    expect(new Set(UPSTREAM_HTTP_ERROR_RULES.map((r) => r.name)).size).toBe(UPSTREAM_HTTP_ERROR_RULES.length);
  });

  it('bounds the message of a huge body and never splits a surrogate pair', () => {
    const body = `${'x'.repeat(MAX_UPSTREAM_MESSAGE_CHARS - 1)}😀${'y'.repeat(100_000)}`;
    const error = mapUpstreamHttpError(500, body, {});
    expect(error.message.length).toBeLessThan(MAX_UPSTREAM_MESSAGE_CHARS + 100);
    expect(error.message).toMatch(/x… \(\d+ more characters\)$/);
    expect(error.message).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('does not reword context-looking text under statuses that mean something else', () => {
    const body = json({ error: 'the input length exceeds the context length' });
    expect(mapUpstreamHttpError(503, body, {}).code).toBe('GW_UPSTREAM_OVERLOADED');
    expect(mapUpstreamHttpError(429, body, {}).code).toBe('GW_UPSTREAM_RATE_LIMITED');
  });

  it('only copies retry headers on the rows that ask for them', () => {
    expect(mapUpstreamHttpError(500, '', { 'retry-after': '5' }).headers).toEqual({});
    expect(mapUpstreamHttpError(400, '', { 'retry-after': '5' }).headers).toEqual({});
  });
});

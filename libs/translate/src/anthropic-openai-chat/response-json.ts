import { GatewayError } from '@turnout/errors';
import { isRecord } from '@turnout/protocol';
import { mapUpstreamHttpError } from '../upstream-errors';

/**
 * Narrowing helpers for upstream JSON. Upstream bodies are untrusted: the wire types say what a
 * well-behaved server sends, these say what we actually got.
 */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A string field of an upstream message: absent or null reads as `""`, any other type is a protocol error. */
export function optionalString(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw protocolError(`The upstream message has a non-string ${field}`);
  return value;
}

export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function protocolError(message: string, cause?: unknown): GatewayError {
  return new GatewayError('GW_UPSTREAM_PROTOCOL', { message, cause });
}

/**
 * An error the upstream reported inside a 200 body or stream (`{"error":{...}}`, `{"error":"..."}`;
 * docs/protocol.md §7.1, llama-server `chat-error-midstream`). llama.cpp puts the HTTP status it
 * means in a numeric `code`; such errors go through the same rule table as HTTP errors (§7.8),
 * so an in-band "Loading model" 503 or a context overflow gets the status and wording a real
 * HTTP error would (retryable 529, a 400 Claude Code turns into compaction advice). Anything
 * else is GW_UPSTREAM_ERROR with the upstream's message.
 */
export function upstreamReportedError(error: unknown): GatewayError {
  const status = isRecord(error) ? finiteNumber(error.code) : undefined;
  if (status !== undefined && Number.isInteger(status) && status >= 400 && status <= 599) {
    return mapUpstreamHttpError(status, JSON.stringify({ error }), {});
  }
  const message = errorMessageOf(error);
  return new GatewayError('GW_UPSTREAM_ERROR', { message: message === undefined ? undefined : `The upstream failed: ${message}` });
}

function errorMessageOf(error: unknown): string | undefined {
  if (typeof error === 'string') return error === '' ? undefined : error;
  if (isRecord(error)) return nonEmptyString(error.message) ?? nonEmptyString(error.error);
  return undefined;
}

/**
 * A message's `tool_calls` (OpenAI and Ollama share the `{id, function:{name, arguments}}`
 * shape): absent or null → none; each call must be an object with a `function` object.
 */
export function toolCallRecords(value: unknown): Array<{ readonly call: JsonObject; readonly fn: JsonObject }> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw protocolError('The upstream message has a non-array tool_calls');
  return value.map((call) => {
    const fn = isRecord(call) ? call.function : undefined;
    if (!isRecord(call) || !isRecord(fn)) throw protocolError('The upstream sent a tool call without a function');
    return { call, fn };
  });
}

type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Reasoning text of a message or delta: `reasoning_content` (llama.cpp, DeepSeek, SGLang, older
 * vLLM) first, then `reasoning` (vLLM >= 0.16, Ollama /v1, LM Studio). Read both, never add
 * them: during vLLM's rename some builds sent the same text under both names (§7.5, §10 B6).
 */
export function reasoningText(source: Readonly<Record<string, unknown>>): string | undefined {
  return nonEmptyString(source.reasoning_content) ?? nonEmptyString(source.reasoning);
}

/**
 * `choices[0]`, the only choice we ask for (no `n`). Matched by `index` rather than position,
 * since nothing obliges a server to order choices.
 */
export function primaryChoice(choices: unknown): Readonly<Record<string, unknown>> | undefined {
  if (!Array.isArray(choices)) return undefined;
  // A loop, not filter + find: this runs once per streamed token.
  let first: Readonly<Record<string, unknown>> | undefined;
  for (const choice of choices as unknown[]) {
    if (!isRecord(choice)) continue;
    if (choice.index === 0 || choice.index === undefined) return choice;
    first ??= choice;
  }
  return first;
}

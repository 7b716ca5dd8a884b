/**
 * How long an upstream asked us to wait, in ms, from the headers `copyRetryAfter` put on the
 * GatewayError (libs/translate/src/upstream-errors.ts): `retry-after-ms` first (it is the more
 * precise and the Anthropic SDK reads it first), else `retry-after` as seconds or an HTTP date.
 * Undefined when absent or unreadable, so the caller falls back to its own backoff. A date in
 * the past means "now": 0.
 */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const millis = headerValue(headers, 'retry-after-ms');
  if (millis !== undefined && /^\d+(?:\.\d+)?$/.test(millis)) return Math.ceil(Number(millis));
  const value = headerValue(headers, 'retry-after');
  if (value === undefined) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  // Only something that looks like an HTTP date: Date.parse accepts bare numbers like "-5" too.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** GatewayError headers are written lower-case by our code, but a hand-built one may not be. */
function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = name in headers ? name : Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key]?.trim();
  return value === '' ? undefined : value;
}

/**
 * The retry hints an upstream error carried, for the client's SDK (docs/protocol.md §4.2). Only
 * well-formed values are copied: the SDK parses them, and a bad one would be our doing.
 * `x-should-retry` is Anthropic's explicit override of the SDK's status-based choice.
 */
export function retryHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const seconds = header(headers, 'retry-after');
  if (seconds && (/^\d+$/.test(seconds) || !Number.isNaN(Date.parse(seconds)))) out['retry-after'] = seconds;
  const millis = header(headers, 'retry-after-ms');
  if (millis && /^\d+(?:\.\d+)?$/.test(millis)) out['retry-after-ms'] = millis;
  const shouldRetry = header(headers, 'x-should-retry');
  if (shouldRetry === 'true' || shouldRetry === 'false') out['x-should-retry'] = shouldRetry;
  return out;
}

function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = name in headers ? name : Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value.trim() : undefined;
}

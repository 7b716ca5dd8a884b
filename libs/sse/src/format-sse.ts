/**
 * One SSE frame with an `event:` line. The TS SDK ignores data-only events on the Anthropic
 * stream (docs/protocol.md §3.1), so the event name is mandatory. JSON from JSON.stringify never
 * contains a raw line end, so `data` is normally one line; if it has several, each becomes its
 * own `data:` line, which is how SSE carries multi-line data (a parser joins them with LF). A raw
 * newline copied into one `data:` line would instead end the field and corrupt the frame.
 */
export function formatSse(event: string, data: string): string {
  assertEventName(event);
  // The common case (one JSON line per token) stays a single template, no split.
  if (!/[\r\n]/.test(data)) return `event: ${event}\ndata: ${data}\n\n`;
  const lines = data.split(/\r\n|\r|\n/);
  return `event: ${event}\n${lines.map((line) => `data: ${line}\n`).join('')}\n`;
}

/** Event names already checked for line ends: the handful of Anthropic event types, checked once. */
const checkedNames = new Set<string>();

/**
 * An Anthropic stream event as an SSE frame: the event name is the payload's `type`. The hot
 * path (one call per token): JSON.stringify escapes every CR and LF, so its output is one line
 * and needs no scan, and each event name is checked once, not per frame.
 */
export function formatSseJson<T extends { readonly type: string }>(payload: T): string {
  const event = payload.type;
  if (!checkedNames.has(event)) {
    assertEventName(event);
    if (checkedNames.size < 64) checkedNames.add(event);
  }
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** An event name with a line end would inject fields into the frame: a bug of the caller. */
function assertEventName(event: string): void {
  if (/[\r\n]/.test(event)) throw new TypeError(`SSE event name contains a line end: ${JSON.stringify(event)}`);
}

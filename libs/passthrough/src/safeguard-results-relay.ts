/**
 * Passthrough with `safeguards: synthesize` (the upstream is not Anthropic's API): the answer
 * gets the `safeguard_results` Turnout made (`@turnout/translate` safeguard-results.ts), in
 * `message_delta.delta` of a stream and at the top of a unary Message. Every other byte is
 * relayed as it came.
 */


/** The unary Message with `safeguard_results` added as its last member (raw-byte edit, rest untouched). */
export function addSafeguardResultsToMessage(raw: Buffer, results: unknown): Buffer {
  const end = raw.lastIndexOf('}');
  if (end === -1) return raw;
  return Buffer.concat([raw.subarray(0, end), Buffer.from(`,"safeguard_results":${JSON.stringify(results)}`), raw.subarray(end)]);
}

/**
 * The `message_delta` frame with `delta.safeguard_results` set (the relay calls it on that one
 * frame; every other frame is relayed as it came). A frame that is not a readable message_delta
 * is returned unchanged.
 */
export function addSafeguardResultsToDelta(frame: string, results: unknown): string {
  return frame.replace(/(^|\n|\r)data: ?(\{[^\r\n]*\})(?=\r|\n)/, (whole, lead: string, json: string) => {
    const event = parse(json);
    if (event?.type !== 'message_delta' || typeof event.delta !== 'object' || event.delta === null) return whole;
    const delta = { ...(event.delta as Record<string, unknown>), safeguard_results: results };
    return `${lead}data: ${JSON.stringify({ ...event, delta })}`;
  });
}

function parse(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

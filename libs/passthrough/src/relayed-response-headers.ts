/**
 * Upstream response headers the client sees on a successful passthrough (docs/protocol.md §5.2):
 * Anthropic's rate-limit and account headers, and the retry hints. Everything else is the
 * gateway's to set (content-type, request-id, caching) or must not leak (set-cookie, server,
 * CORS, hop-by-hop, content-length/encoding of a body we may rewrite).
 */
const RELAYED = new Set(['retry-after', 'retry-after-ms', 'anthropic-organization-id', 'anthropic-workspace-id']);
const RELAYED_PREFIXES = ['anthropic-ratelimit-'];

/**
 * The upstream's own request id, under a name that does not collide with the gateway's
 * `request-id` (which the SDK reads). The name matches the gateway's other `x-` headers
 * (`x-turnout-provider`), and the gateway's e2e suite reads it.
 */
export const UPSTREAM_REQUEST_ID_HEADER = 'x-upstream-request-id';

export function relayedResponseHeaders(upstream: Readonly<Record<string, string>>): Record<string, string> {
  const relayed: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(upstream)) {
    if (typeof value !== 'string') continue;
    const name = rawName.toLowerCase();
    if (name === 'request-id') relayed[UPSTREAM_REQUEST_ID_HEADER] = value;
    else if (RELAYED.has(name) || RELAYED_PREFIXES.some((prefix) => name.startsWith(prefix))) relayed[name] = value;
  }
  return relayed;
}

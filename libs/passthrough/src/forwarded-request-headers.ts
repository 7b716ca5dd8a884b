import { filterBetas, type BetaPolicy } from './beta-policy';

/** What the first-party API requires; clients that omit it still expect today's protocol. */
const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

/**
 * Client headers that reach a passthrough upstream. An allow-list, not a deny-list: anything
 * else a client sends (credentials, cookies, `ANTHROPIC_CUSTOM_HEADERS` meant for the gateway)
 * stays here. `anthropic-user-profile-id` is left out on purpose: docs/protocol.md §5.1 says to
 * forward it only to Anthropic, and this function does not know who the upstream is.
 */
const FORWARDED = new Set([
  'anthropic-version',
  'anthropic-beta',
  'anthropic-dangerous-direct-browser-access',
  'accept',
  'user-agent',
  'x-app',
  'x-claude-code-session-id',
  'idempotency-key',
]);
const FORWARDED_PREFIXES = ['x-stainless-'];

/**
 * Never forwarded, even if a later edit widens the allow-list: hop-by-hop headers (RFC 9110
 * §7.6.1), what the HTTP client recomputes, `accept-encoding` (we tap the bytes, so they must
 * not arrive compressed), and every credential (the provider's own is added later).
 */
const NEVER_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'content-type',
  'accept-encoding',
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-goog-api-key',
  'api-key',
  'cookie',
]);

export interface ForwardedRequestHeaders {
  /** Lower-case names; multi-valued headers joined with `, ` (`anthropic-beta` with `,`). */
  readonly headers: Record<string, string>;
  /** `anthropic-beta` values the provider's policy removed, in the order the client sent them. */
  readonly droppedBetas: string[];
}

type ClientHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** The passthrough request headers for the upstream, from the client's (docs/protocol.md §5.1, §9.1). */
export function forwardedRequestHeaders(client: ClientHeaders, betas: BetaPolicy | undefined): ForwardedRequestHeaders {
  const values = collectValues(client);
  const hopByHop = connectionTokens(values.get('connection') ?? []);
  const headers: Record<string, string> = {};
  for (const [name, list] of values) {
    if (name === 'anthropic-beta' || hopByHop.has(name) || !isForwarded(name)) continue;
    headers[name] = list.join(', ');
  }
  if (!headers['anthropic-version']?.trim()) headers['anthropic-version'] = DEFAULT_ANTHROPIC_VERSION;
  const { kept, dropped } = filterBetas(hopByHop.has('anthropic-beta') ? [] : (values.get('anthropic-beta') ?? []), betas);
  if (kept.length > 0) headers['anthropic-beta'] = kept.join(',');
  return { headers, droppedBetas: dropped };
}

function isForwarded(name: string): boolean {
  if (NEVER_FORWARDED.has(name) || name.startsWith('proxy-')) return false;
  return FORWARDED.has(name) || FORWARDED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** Values by lower-case name, merging names that differ only in case (Node lower-cases, other callers may not). */
function collectValues(client: ClientHeaders): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const [rawName, value] of Object.entries(client)) {
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    const list = values.get(name) ?? [];
    list.push(...(Array.isArray(value) ? value : [value]));
    values.set(name, list);
  }
  return values;
}

/** Headers the client declared hop-by-hop by naming them in `connection`. */
function connectionTokens(values: readonly string[]): Set<string> {
  return new Set(
    values
      .flatMap((value) => value.split(','))
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== ''),
  );
}

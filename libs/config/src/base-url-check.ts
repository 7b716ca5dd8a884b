import type { ProviderKind } from '@turnout/providers';

/**
 * Why `base_url` cannot end in a piece of an API path the kind adds itself (`/v1`,
 * `/v1/messages`, Ollama's `/api`…), or undefined when it is fine. Such a URL would be called as
 * `/v1/v1/chat/completions`, a 404 that looks like a dead server. Rejected, not fixed silently:
 * the file stays the truth, and the message names the URL to write instead. Only prefixes of the
 * kind's own paths count, so an `openai` base such as `https://openrouter.ai/api` stays valid.
 */
export function baseUrlProblem(baseUrl: string, kind: ProviderKind): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined; // the DTO's URL check reports it
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '') return undefined;
  const apiPaths = Object.values(kind.paths).filter((p): p is string => p !== undefined);
  const clash = apiPrefixes(apiPaths).find((prefix) => path === prefix || path.endsWith(prefix));
  if (clash === undefined) return undefined;
  const fixed = `${url.origin}${path.slice(0, path.length - clash.length)}`;
  return `"${baseUrl}" ends in "${clash}", which Turnout adds itself (it calls ${apiPaths.join(', ')}); write base_url: ${fixed}`;
}

/** Every leading run of segments of each path, longest first: /v1/chat/completions, /v1/chat, /v1. */
function apiPrefixes(paths: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const path of paths) {
    const segments = path.split('/').filter(Boolean);
    for (let n = 1; n <= segments.length; n++) prefixes.add(`/${segments.slice(0, n).join('/')}`);
  }
  return [...prefixes].sort((a, b) => b.length - a.length);
}

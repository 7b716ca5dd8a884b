import { globMatches } from '@turnout/glob';

export { globMatches, type GlobVerdict } from '@turnout/glob';

/**
 * Route `match` patterns: an exact model name, or a glob where `*` is any run of characters
 * and `?` one character. Everything else is literal, so model names with dots, colons or
 * slashes (`qwen3:8b`, `org/model`) need no escaping.
 * Matched by `globMatches` (@turnout/glob): linear in the name, no backtracking.
 */
export function compileModelPattern(pattern: string): (model: string) => boolean {
  if (!/[*?]/.test(pattern)) return (model) => model === pattern;
  return (model) => globMatches(pattern, model).matched;
}

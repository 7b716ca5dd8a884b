/**
 * Route `match` patterns: an exact model name, or a glob where `*` is any run of characters
 * and `?` one character. Everything else is literal, so model names with dots, colons or
 * slashes (`qwen3:8b`, `org/model`) need no escaping.
 */
export function compileModelPattern(pattern: string): (model: string) => boolean {
  if (!/[*?]/.test(pattern)) return (model) => model === pattern;
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 's');
  return (model) => regex.test(model);
}

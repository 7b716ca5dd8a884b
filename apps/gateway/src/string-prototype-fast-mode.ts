/**
 * Puts `String.prototype` back in V8's fast-properties mode, once every module is loaded.
 *
 * Why: a dependency that subclasses `String` (ioredis's `class VerbatimString extends String`,
 * loaded when Redis is configured, before the app is created) makes V8 normalize
 * `String.prototype` into a dictionary when the subclass is defined. V8 makes a prototype fast
 * again only when an inline cache sees an object that inherits from it, which never happens
 * here (no verbatim string ever arrives), so every string method call in optimized code
 * (`startsWith`, `indexOf`, `slice`, `charCodeAt`) became a generic property lookup. On a
 * passthrough stream of 256 tokens that was about 0.9 M of the 7 M instructions per request
 * (measured with `npm run bench:instructions`; see docs/performance.md).
 *
 * The remedy is what V8 itself does: a property load through an inline cache on an object
 * whose prototype is `String.prototype`. The function must run more than once, because V8
 * gives a function its inline caches (feedback) only after it has run a few times.
 */
export function restoreFastStringPrototype(): void {
  const inheritsFromString: object = Object.create(String.prototype);
  for (let i = 0; i < 32; i++) loadThroughInlineCache(inheritsFromString);
}

function loadThroughInlineCache(value: object): unknown {
  return (value as { readonly absent?: unknown }).absent;
}

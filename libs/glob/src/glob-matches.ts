/**
 * Globs where `*` is any run of characters and `?` one character; everything else is literal.
 * Matched by the greedy two-pointer algorithm, not a RegExp: on a miss, only the last `*` is
 * retried one character further, so the work is at most (pattern + 1) × (text + 1) steps for any
 * input, and linear in the text for a given pattern. A backtracking RegExp (`.*a.*a.*b`) on a
 * long hostile value stalled the event loop for seconds (issue 15, case 2). Route patterns match
 * model names with it, beta policies match client `anthropic-beta` values.
 */
export interface GlobVerdict {
  readonly matched: boolean;
  /** Comparisons made: the test's measure of work, independent of the machine's speed. */
  readonly steps: number;
}

const STAR = 42; // '*'
const ANY_ONE = 63; // '?'

/** Matches `text` against a glob (`*`, `?`; everything else literal), in UTF-16 code units. */
export function globMatches(pattern: string, text: string): GlobVerdict {
  let p = 0;
  let t = 0;
  // Where the last `*` was, and the text position it currently stands for the end of.
  let star = -1;
  let resumeAt = 0;
  let steps = 0;
  while (t < text.length) {
    steps++;
    const code = pattern.charCodeAt(p);
    if (p < pattern.length && (code === ANY_ONE || (code !== STAR && code === text.charCodeAt(t)))) {
      p++;
      t++;
    } else if (p < pattern.length && code === STAR) {
      star = p++;
      resumeAt = t;
    } else if (star !== -1) {
      // Let the last `*` swallow one more character; earlier stars never need to move again.
      p = star + 1;
      t = ++resumeAt;
    } else {
      return { matched: false, steps };
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) {
    steps++;
    p++;
  }
  return { matched: p === pattern.length, steps };
}

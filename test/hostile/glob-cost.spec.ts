import fc from 'fast-check';
import { globMatches } from '../../libs/routing/src/model-pattern';

/**
 * Issue 15, case 2: the route glob matcher does bounded work on hostile names. Work is counted
 * in steps (comparisons), not timed: at most (pattern + 1) × (name + 1) for any input, which is
 * linear in the name for each configured pattern. The RegExp it replaced took ~9 s on a
 * 100k-character name against `a*a*a*a*a*a*b`.
 */
const ADVERSARIAL_PATTERNS = [
  'a*a*a*a*a*a*a*b',
  '*a*a*a*a*a*a*a*a*a*a*',
  '*a?a?a?a?*b',
  '**********b',
  '*ab*ab*ab*ab*abc',
  'claude-*haiku*',
  '?'.repeat(40) + '*z',
];
const NAME_LIMIT = 256;
const ADVERSARIAL_NAMES = ['a'.repeat(NAME_LIMIT), 'ab'.repeat(NAME_LIMIT / 2), `${'a'.repeat(NAME_LIMIT - 1)}c`, 'claude-'.padEnd(NAME_LIMIT, 'h')];

/** Reference semantics: dynamic programming over (pattern, name) prefixes, obviously correct. */
function reference(pattern: string, text: string): boolean {
  let row = new Array<boolean>(text.length + 1).fill(false);
  row[0] = true;
  for (const char of pattern) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    next[0] = char === '*' && row[0] === true;
    for (let t = 1; t <= text.length; t++) {
      if (char === '*') next[t] = row[t] === true || next[t - 1] === true;
      else next[t] = row[t - 1] === true && (char === '?' || char === text[t - 1]);
    }
    row = next;
  }
  return row[text.length] === true;
}

describe('hostile 2: glob matching cost', () => {
  it.each(ADVERSARIAL_PATTERNS)('%s against names at the length limit stays within (pattern+1)×(name+1) steps', (pattern) => {
    for (const name of ADVERSARIAL_NAMES) {
      const verdict = globMatches(pattern, name);
      expect(verdict.matched).toBe(reference(pattern, name));
      expect(verdict.steps).toBeLessThanOrEqual((pattern.length + 1) * (name.length + 1));
    }
  });

  it('grows linearly with the name for a fixed pattern: 100× the name, at most ~100× the steps', () => {
    const pattern = 'a*a*a*a*a*a*a*b';
    const short = globMatches(pattern, 'a'.repeat(1_000)).steps;
    const long = globMatches(pattern, 'a'.repeat(100_000)).steps;
    expect(long).toBeLessThanOrEqual(short * 100 * 1.1);
  });

  it('agrees with the reference semantics on generated patterns and names', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?', '-');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 12 }), fc.string({ unit: fc.constantFrom('a', 'b', '-', '*', '?'), maxLength: 30 }), (pattern, name) => {
        expect(globMatches(pattern, name).matched).toBe(reference(pattern, name));
      }),
      { numRuns: 3_000 },
    );
  });
});

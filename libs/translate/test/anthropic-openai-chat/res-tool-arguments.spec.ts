import { mulberry32 } from '@turnout/testing';
import { salvageToolArguments, ToolArgumentsScanner } from '../../src/anthropic/tool-arguments';

/** Streams `raw` through a scanner in the given pieces; returns what the client would receive. */
function streamed(pieces: readonly string[]): { deltas: string[]; text: string } {
  const scanner = new ToolArgumentsScanner();
  const deltas: string[] = [];
  for (const piece of pieces) {
    scanner.push(piece);
    const out = scanner.release();
    if (out !== '') deltas.push(out);
  }
  const tail = scanner.finish();
  if (tail !== '') deltas.push(tail);
  return { deltas, text: deltas.join('') };
}

function randomSplit(text: string, seed: number): string[] {
  const random = mulberry32(seed);
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    const size = 1 + Math.floor(random() * 6);
    pieces.push(text.slice(at, at + size));
    at += size;
  }
  return pieces;
}

describe('salvageToolArguments (the invalid-arguments policy)', () => {
  it.each<[string, string, Record<string, unknown>, boolean]>([
    ['valid arguments pass through', '{"command":"ls","n":[1,{"a":null}],"ok":true}', { command: 'ls', n: [1, { a: null }], ok: true }, true],
    ['surrounding whitespace', ' \n{"a": -1.5e3 }\n', { a: -1500 }, true],
    ['escapes and unicode', '{"s":"a\\"b\\\\c\\u00e9\\n","é":"✓"}', { s: 'a"b\\cé\n', é: '✓' }, true],
    ['empty string', '', {}, false],
    ['not JSON at all', 'not json', {}, false],
    ['a JSON array', '[1,2]', {}, false],
    ['a JSON string (double-encoded)', '"{\\"a\\":1}"', {}, false],
    ['truncated inside a string value: the member is dropped, not completed', '{"command": "rm -rf /tmp/bu', {}, false],
    ['truncated after a complete member', '{"command": "ls -la", "description": "List the fi', { command: 'ls -la' }, false],
    ['truncated inside a key', '{"a": 1, "descr', { a: 1 }, false],
    ['truncated after a colon', '{"a": 1, "b":', { a: 1 }, false],
    ['truncated inside a nested object: the whole member is dropped', '{"a": 1, "edits": [{"old": "x", "new": "y"}, {"old": "z"', { a: 1 }, false],
    ['truncated inside a number (it might have continued)', '{"a": 1, "n": 12', { a: 1 }, false],
    ['truncated inside a literal', '{"a": tru', {}, false],
    ['garbage after the object is ignored', '{"a": 1}}garbage', { a: 1 }, false],
    ['a second object after the first is ignored', '{"a": 1}{"b": 2}', { a: 1 }, false],
    ['a raw control character in a string', '{"a": 1, "b": "x\ty"}', { a: 1 }, false],
    ['a bad escape', '{"a": 1, "b": "\\x"}', { a: 1 }, false],
    ['a short unicode escape', '{"a": 1, "b": "\\u12"}', { a: 1 }, false],
    ['an invalid number', '{"a": 1, "b": 01}', { a: 1 }, false],
    ['a trailing comma', '{"a": 1,}', { a: 1 }, false],
    ['a missing colon', '{"a" 1}', {}, false],
  ])('%s', (_name, raw, input, intact) => {
    expect(salvageToolArguments(raw)).toEqual({ input, intact });
  });
});

describe('ToolArgumentsScanner (streaming the policy)', () => {
  it('releases each top-level member once its value is complete', () => {
    expect(streamed(['{"comm', 'and": "ls', ' -la", "n"', ': 12', '3, "o": {"x"', ': [1]}', '}']).deltas).toEqual([
      '{',
      '"command": "ls -la"',
      ', "n": 123',
      ', "o": {"x": [1]}',
      '}',
    ]);
  });

  it('closes a cut-off object with "}" and a never-started one with "{}"', () => {
    expect(streamed(['{"a": 1, "b": "cut']).deltas).toEqual(['{"a": 1', '}']);
    expect(streamed(['oops']).deltas).toEqual(['{}']);
    expect(streamed([]).deltas).toEqual(['{}']);
  });

  it('reports closed and settled', () => {
    const scanner = new ToolArgumentsScanner();
    scanner.push('{"a": 1');
    expect([scanner.closed, scanner.settled]).toEqual([false, false]);
    scanner.push('}');
    expect([scanner.closed, scanner.settled]).toEqual([true, true]);
    scanner.push('garbage');
    expect([scanner.closed, scanner.settled]).toEqual([true, true]);
    const broken = new ToolArgumentsScanner();
    broken.push('{"a" 1');
    expect([broken.closed, broken.settled]).toEqual([false, true]);
  });

  it('takes nothing after finish()', () => {
    const scanner = new ToolArgumentsScanner();
    scanner.push('{"a": 1}');
    expect(scanner.release() + scanner.finish()).toBe('{"a": 1}');
    scanner.push('{"b": 2}');
    expect(scanner.release() + scanner.finish()).toBe('');
  });

  describe('property: any split gives the salvaged object, and valid input arrives byte for byte', () => {
    const samples = [
      '{"command":"ls -la /tmp","description":"List files","timeout":120000,"run_in_background":false}',
      '{"file_path":"/src/a.ts","edits":[{"old_string":"a\\nb","new_string":"c\\"d"},{"old_string":"é✓😀","new_string":""}]}',
      ' { "a" : [ 1 , -2.5e-3 , true , null , { } , [ ] ] , "b" : { "c" : "\\u0041" } } ',
      '{}',
    ];

    it.each(samples.map((s) => [s]))('%s', (sample) => {
      const parsed: unknown = JSON.parse(sample);
      for (let seed = 1; seed <= 50; seed++) {
        const { text } = streamed(randomSplit(sample, seed));
        // Everything up to the closing brace, exactly as sent (only trailing whitespace stays behind).
        expect(text).toBe(sample.trimEnd());
        expect(JSON.parse(text)).toEqual(parsed);
      }
    });

    it.each(samples.map((s) => [s]))('every truncation of %s salvages to valid JSON holding only complete members', (sample) => {
      const full = JSON.parse(sample) as Record<string, unknown>;
      for (let cut = 0; cut <= sample.length; cut++) {
        const prefix = sample.slice(0, cut);
        const { text } = streamed(randomSplit(prefix, cut));
        const salvaged = JSON.parse(text) as Record<string, unknown>;
        expect(salvageToolArguments(prefix).input).toEqual(salvaged);
        for (const [key, value] of Object.entries(salvaged)) expect(full[key]).toEqual(value);
      }
    });
  });
});

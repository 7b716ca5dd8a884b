import { scanJsonShape } from '@turnout/passthrough';

/** Issue 15, case 4: the byte scan that runs before anything walks a parsed body. */
const shape = (text: string, maxDepth = 64) => scanJsonShape(Buffer.from(text), maxDepth);

describe('hostile 4: scanJsonShape', () => {
  it('measures nesting without recursion, and stops counting past the limit', () => {
    expect(shape('{"a":[1,{"b":[]}]}').depth).toBe(4);
    expect(shape(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`).depth).toBe(65);
    expect(shape(`${'['.repeat(64)}${']'.repeat(64)}`).depth).toBe(64);
  });

  it('does not count brackets or quotes inside strings', () => {
    expect(shape('{"a":"[[[[{{{{\\"[[[[","b":"\\\\"}').depth).toBe(1);
    expect(shape('{"a":"[[[[", "a\\"":1}').duplicateKey).toBeUndefined();
  });

  it('finds a top-level member named twice, escaped or not', () => {
    expect(shape('{"model":"a","max_tokens":1,"model":"b"}').duplicateKey).toBe('model');
    expect(shape('{"model":"a","mod\\u0065l":"b"}').duplicateKey).toBe('model');
    expect(shape('{"model":"a","metadata":{"model":"b"},"messages":[{"model":"c"}]}').duplicateKey).toBeUndefined();
    expect(shape('{"k":"model","model":"a"}').duplicateKey).toBeUndefined();
    expect(shape('["model","model"]').duplicateKey).toBeUndefined();
  });
});
